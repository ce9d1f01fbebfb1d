import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import type { Job } from '../job/types.js';
import type { CronJobApi } from './cronjob-api.js';
import { parseSchedule } from './cron/schedule.js';
import { nextScheduleTime } from './schedule-times.js';
import { cleanupFinishedJobs, syncCronJob } from './sync.js';
import type { CronJob } from './types.js';

function cronJob(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'ns', uid: 'cj-uid', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { containers: [] } } } }, ...spec },
    status,
  };
}

function setup(existing: Job[] = []) {
  const clock = new FakeClock(Date.parse('2024-01-01T00:05:30Z'));
  const recorder = new RecordingEventRecorder();
  const created: Job[] = [];
  const deleted: string[] = [];
  const jobs = new Map(existing.map((job) => [job.metadata!.name!, job]));
  const api: CronJobApi = {
    getCronJob: async () => {
      throw new Error('not expected');
    },
    updateCronJobStatus: async (cj) => cj,
    getJob: async (_ns, name) => {
      const job = jobs.get(name);
      if (!job) throw Object.assign(new Error('not found'), { code: 404, reason: 'NotFound', status: { reason: 'NotFound', code: 404 } });
      return job;
    },
    createJob: async (_ns, job) => {
      const stored = { ...job, metadata: { ...job.metadata, uid: `uid-${job.metadata!.name}` } };
      created.push(stored);
      jobs.set(job.metadata!.name!, stored);
      return stored;
    },
    deleteJob: async (_ns, name) => {
      deleted.push(name);
      jobs.delete(name);
    },
  };
  return { deps: { api, clock, recorder }, clock, recorder, created, deleted };
}

function childJob(name: string, condition?: 'Complete' | 'Failed', startTime = '2024-01-01T00:00:00Z'): Job {
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj-uid', controller: true }] },
    status: { startTime, ...(condition ? { conditions: [{ type: condition, status: 'True', lastTransitionTime: startTime }], ...(condition === 'Complete' ? { completionTime: startTime } : {}) } : {}) },
  };
}

test('a due schedule creates the Job named after the scheduled minute, records it, and requeues for the next time', async () => {
  const { deps, created, recorder } = setup();
  const result = await syncCronJob(deps, cronJob(), []);
  assert.equal(created.length, 1);
  const job = created[0]!;
    assert.equal(job.metadata?.name, `cj-${Date.parse('2024-01-01T00:05:00Z') / 60_000}`);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T00:05:00Z');
  assert.deepEqual(job.metadata?.labels, { team: 'a' });
  assert.equal(job.metadata?.ownerReferences?.[0]?.uid, 'cj-uid');
  assert.equal(result.updateStatus, true);
  assert.equal(result.cronJob.status?.lastScheduleTime, '2024-01-01T00:05:00Z');
  assert.deepEqual(result.cronJob.status?.active?.map((ref) => ref.name), [job.metadata?.name]);
  // Next run 00:10, plus the 100 ms delta, from 00:05:30.
  assert.equal(result.requeueAfterMs, 270_100);
  assert.deepEqual(recorder.events, [`Normal SuccessfulCreate Created job ${job.metadata?.name}`]);
});

test('the scheduled timestamp annotation is written in the CronJob time zone', async () => {
  const { deps, created } = setup();
  await syncCronJob(deps, cronJob({ timeZone: 'Asia/Kolkata', schedule: '35 5 * * *' }), []);
  assert.equal(created[0]!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T05:35:00+05:30');
});

test('nothing is created before the first scheduled time, nor twice for one time', async () => {
  const { deps, created, clock } = setup();
  clock.set(Date.parse('2024-01-01T00:04:00Z'));
  const early = await syncCronJob(deps, cronJob(), []);
  assert.equal(created.length, 0);
  assert.equal(early.requeueAfterMs, 60_100);
  clock.set(Date.parse('2024-01-01T00:05:30Z'));
  await syncCronJob(deps, cronJob({}, { lastScheduleTime: '2024-01-01T00:05:00Z' }), []);
  assert.equal(created.length, 0);
});

test('Forbid skips a run while one is active; Replace deletes the active Job first; Allow runs both', async () => {
  const running = childJob('cj-28401120');
  const active = { active: [{ name: 'cj-28401120', namespace: 'ns', uid: 'uid-cj-28401120' }], lastScheduleTime: '2024-01-01T00:00:00Z' };
  let s = setup([running]);
  await syncCronJob(s.deps, cronJob({ concurrencyPolicy: 'Forbid' }, structuredClone(active)), [running]);
  assert.equal(s.created.length, 0);
  assert.deepEqual(s.recorder.events, ['Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid']);

  s = setup([running]);
  const replaced = await syncCronJob(s.deps, cronJob({ concurrencyPolicy: 'Replace' }, structuredClone(active)), [running]);
  assert.deepEqual(s.deleted, ['cj-28401120']);
  assert.equal(s.created.length, 1);
  assert.deepEqual(replaced.cronJob.status?.active?.map((ref) => ref.name), ['cj-28401125']);
  assert.deepEqual(s.recorder.events, ['Normal SuccessfulDelete Deleted job cj-28401120', 'Normal SuccessfulCreate Created job cj-28401125']);

  s = setup([running]);
  const both = await syncCronJob(s.deps, cronJob({}, structuredClone(active)), [running]);
  assert.deepEqual(both.cronJob.status?.active?.map((ref) => ref.name), ['cj-28401120', 'cj-28401125']);
});

test('a finished active Job leaves status.active with SawCompletedJob and sets lastSuccessfulTime', async () => {
  const done = childJob('cj-28401120', 'Complete', '2024-01-01T00:01:00Z');
  const { deps, recorder } = setup([done]);
  const result = await syncCronJob(deps, cronJob({ suspend: true }, { active: [{ name: 'cj-28401120', uid: 'uid-cj-28401120' }] }), [done]);
  assert.deepEqual(result.cronJob.status?.active, []);
  assert.deepEqual(recorder.events, ['Normal SawCompletedJob Saw completed job: cj-28401120, condition: Complete']);
  const again = await syncCronJob(deps, result.cronJob, [done]);
  assert.equal(again.cronJob.status?.lastSuccessfulTime, '2024-01-01T00:01:00Z');
});

test('a start missed by more than startingDeadlineSeconds is skipped; within the deadline it still runs', async () => {
  const { deps, created, recorder, clock } = setup();
  // 00:05 was missed; at 00:07:30 with a 60 s deadline it is too late, and 00:10 is next.
  clock.set(Date.parse('2024-01-01T00:07:30Z'));
  const result = await syncCronJob(deps, cronJob({ startingDeadlineSeconds: 200 - 140 }, { lastScheduleTime: '2024-01-01T00:00:00Z' }), []);
  assert.equal(created.length, 0);
  assert.equal(result.requeueAfterMs, 150_100);
  // The deadline moved the earliest time past 00:05: nothing is due, so no event either.
  assert.deepEqual(recorder.events, []);
  const late = await syncCronJob(deps, cronJob({ startingDeadlineSeconds: 200 }, { lastScheduleTime: '2024-01-01T00:00:00Z' }), []);
  assert.equal(created.length, 1, 'within a 200 s deadline the 00:05 run still starts');
  assert.equal(late.cronJob.status?.lastScheduleTime, '2024-01-01T00:05:00Z');
});

test('a daily run missed by more than the deadline waits for the next day', async () => {
  const { deps, created, recorder, clock } = setup();
  clock.set(Date.parse('2024-01-01T00:05:30Z'));
  await syncCronJob(deps, cronJob({ startingDeadlineSeconds: 10, schedule: '5 0 * * *' }, { lastScheduleTime: '2023-12-31T00:05:00Z' }), []);
  // The deadline window is 00:05:20-00:05:30, after the 00:05 start: nothing due, nothing created.
  assert.equal(created.length, 0);
  assert.deepEqual(recorder.events, []);
});

test('after more than 100 missed times the controller warns and starts the most recent one', async () => {
  const { deps, created, recorder, clock } = setup();
  clock.set(Date.parse('2024-01-02T00:00:30Z'));
  await syncCronJob(deps, cronJob({ schedule: '* * * * *' }, { lastScheduleTime: '2024-01-01T00:00:00Z' }), []);
  assert.ok(recorder.events.includes('Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  assert.equal(created[0]!.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-02T00:00:00Z');
});

test('the most recent due time is found among many missed ones, with the deadline applied', () => {
  const schedule = parseSchedule('30 6-16/4 * * 1-5');
  const cj = cronJob({ schedule: '30 6-16/4 * * 1-5' }, { lastScheduleTime: '2024-01-01T06:30:00Z' });
  // Friday 2024-01-05 at 15:00: the last run was at 14:30.
  const due = nextScheduleTime(cj, Date.parse('2024-01-05T15:00:00Z'), schedule);
  assert.equal(rfc3339(due.scheduledMs!), '2024-01-05T14:30:00Z');
  assert.equal(due.tooManyMissed, false);
});

test('suspended CronJobs and unknown time zones start nothing', async () => {
  let s = setup();
  assert.equal((await syncCronJob(s.deps, cronJob({ suspend: true }), [])).requeueAfterMs, undefined);
  assert.equal(s.created.length, 0);
  s = setup();
  await syncCronJob(s.deps, cronJob({ timeZone: 'Mars/Olympus_Mons' }), []);
  assert.equal(s.created.length, 0);
  assert.deepEqual(s.recorder.events, ['Warning UnknownTimeZone invalid timeZone: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons']);
});

test('history limits delete the oldest finished Jobs beyond them', async () => {
  const jobs = [
    childJob('ok-1', 'Complete', '2024-01-01T00:01:00Z'),
    childJob('ok-2', 'Complete', '2024-01-01T00:02:00Z'),
    childJob('ok-3', 'Complete', '2024-01-01T00:03:00Z'),
    childJob('bad-1', 'Failed', '2024-01-01T00:01:00Z'),
    childJob('bad-2', 'Failed', '2024-01-01T00:02:00Z'),
    childJob('running', undefined, '2024-01-01T00:00:00Z'),
  ];
  const { deps, deleted, recorder } = setup(jobs);
  const cj = cronJob({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
  assert.equal(await cleanupFinishedJobs(deps, cj, jobs), true);
  assert.deepEqual(deleted, ['ok-1', 'bad-1']);
  assert.deepEqual(recorder.events, ['Normal SuccessfulDelete Deleted job ok-1', 'Normal SuccessfulDelete Deleted job bad-1']);
});
