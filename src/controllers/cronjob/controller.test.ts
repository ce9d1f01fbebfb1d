import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import type { Job } from '../job/types.js';
import { CronJobController } from './controller.js';
import type { CronJob } from './types.js';

const cronJob: CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'cj', namespace: 'ns', uid: 'cj-uid', creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '5' },
  spec: { schedule: '0 * * * *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: {} } },
};

function ownedJob(name: string, ownerName: string, ownerUid: string): Job {
  return { metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: ownerName, uid: ownerUid, controller: true }] }, status: {} };
}

test('a sync starts the due Job, writes status once, and returns the time to the next run', async () => {
  const statuses: CronJob[] = [];
  const created: Job[] = [];
  const controller = new CronJobController({
    cronJobs: fakeInformer([cronJob]),
    jobs: fakeInformer([ownedJob('someone-elses', 'other', 'other-uid')]),
    clock: new FakeClock(Date.parse('2024-01-01T01:00:10Z')),
    recorder: new RecordingEventRecorder(),
    api: {
      getCronJob: async () => cronJob,
      updateCronJobStatus: async (cj) => (statuses.push(cj), cj),
      getJob: async () => {
        throw new Error('unexpected');
      },
      createJob: async (_ns, job) => (created.push(job), { ...job, metadata: { ...job.metadata, uid: 'new' } }),
      deleteJob: async () => undefined,
    },
  });
  const requeueMs = await controller.syncOnce('ns/cj');
  assert.deepEqual(created.map((job) => job.metadata?.name), [`cj-${Date.parse('2024-01-01T01:00:00Z') / 60_000}`]);
  assert.equal(statuses.length, 1);
  assert.equal(statuses[0]!.status?.lastScheduleTime, '2024-01-01T01:00:00Z');
  // 02:00 is 59 min 50 s away, plus the 100 ms delta.
  assert.equal(requeueMs, 3_590_100);
  assert.equal(await controller.syncOnce('ns/missing'), undefined);
});

test('a Job event wakes its CronJob; a Job of another owner does not', () => {
  const jobs = fakeInformer();
  const controller = new CronJobController({
    cronJobs: fakeInformer([cronJob]),
    jobs,
    clock: new FakeClock(),
    recorder: new RecordingEventRecorder(),
    api: {} as never,
  });
  jobs.handlers[0]!.onAdd!(ownedJob('x', 'cj', 'other-uid'), false);
  assert.equal(controller.queue.len(), 0);
  jobs.handlers[0]!.onAdd!(ownedJob('y', 'cj', 'cj-uid'), false);
  assert.equal(controller.queue.len(), 1);
});
