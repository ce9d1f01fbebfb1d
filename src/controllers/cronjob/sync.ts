// One pass of upstream's CronJob controller v2 (cronjob_controllerv2.go syncCronJob): reconcile
// status.active with the Jobs that exist, then, unless suspended, start the most recent due
// scheduled time (starting deadline, concurrency policy), then trim the finished Jobs' history.
import { isAlreadyExists, isNotFound } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { isControlledBy } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { finishedCondition, isJobFinished, isJobSucceeded } from '../job/conditions.js';
import { errorMessage } from '../job/job-util.js';
import type { Job } from '../job/types.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { parseSchedule, type CronSchedule } from './cron/schedule.js';
import { isKnownZone } from './cron/zone.js';
import type { CronJobApi } from './cronjob-api.js';
import { jobFromTemplate, jobNameFor } from './job-from-template.js';
import { nextScheduleDelayMs, nextScheduleTime } from './schedule-times.js';
import type { CronJob, ObjectReference } from './types.js';

export interface CronJobSyncDeps {
  api: CronJobApi;
  clock: Clock;
  recorder: EventRecorder;
}

export interface SyncResult {
  cronJob: CronJob;
  /** Sync again after this long (the next scheduled time); undefined: only when something changes. */
  requeueAfterMs?: number;
  updateStatus: boolean;
}

/** RFC 1123Z, as Go formats the missed time in MissSchedule events. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function inActiveList(cronJob: CronJob, uid: string | undefined): boolean {
  return (cronJob.status?.active ?? []).some((ref) => ref.uid === uid);
}

function deleteFromActiveList(cronJob: CronJob, uid: string | undefined): void {
  const status = (cronJob.status ??= {});
  status.active = (status.active ?? []).filter((ref) => ref.uid !== uid);
}

/** The schedule the controller runs: the spec's, in spec.timeZone (warning when TZ= is also used). */
export function scheduleOf(cronJob: CronJob, recorder?: EventRecorder): CronSchedule {
  const spec = cronJob.spec!;
  if (spec.timeZone && spec.schedule.includes('TZ') && recorder) {
    recorder.event(cronJob, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
  }
  return parseSchedule(spec.schedule, spec.timeZone ?? '');
}

export async function syncCronJob(deps: CronJobSyncDeps, original: CronJob, jobs: readonly Job[]): Promise<SyncResult> {
  let cronJob = original;
  const now = deps.clock.now();
  let updateStatus = false;
  const children = new Set<string>();
  for (const job of jobs) {
    const uid = job.metadata?.uid ?? '';
    children.add(uid);
    const found = inActiveList(cronJob, uid);
    if (!found && !isJobFinished(job)) {
      // Our status may lag behind our own Job creation: re-read before complaining.
      const fresh = structuredClone(await deps.api.getCronJob(cronJob.metadata?.namespace ?? '', cronJob.metadata?.name ?? ''));
      if (inActiveList(fresh, uid)) {
        cronJob = fresh;
        continue;
      }
      deps.recorder.event(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ''}`);
    } else if (found && isJobFinished(job)) {
      deleteFromActiveList(cronJob, uid);
      deps.recorder.event(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${finishedCondition(job)?.type ?? ''}`);
      updateStatus = true;
    } else if (isJobSucceeded(job)) {
      // Finished Jobs need not be in the active list to count for lastSuccessfulTime.
      const completed = job.status?.completionTime;
      const status = (cronJob.status ??= {});
      if (completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) {
        status.lastSuccessfulTime = completed;
        updateStatus = true;
      }
    }
  }

  // Active Jobs that no longer exist: ask the API (the cache may lag) and drop the missing ones.
  for (const ref of [...(cronJob.status?.active ?? [])]) {
    if (children.has(ref.uid ?? '')) continue;
    try {
      await deps.api.getJob(ref.namespace ?? cronJob.metadata?.namespace ?? '', ref.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
      deps.recorder.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      deleteFromActiveList(cronJob, ref.uid);
      updateStatus = true;
    }
  }

  if (cronJob.metadata?.deletionTimestamp) return { cronJob, updateStatus };
  const spec = cronJob.spec!;
  if (spec.timeZone !== undefined && spec.timeZone !== null && !isKnownZone(spec.timeZone)) {
    deps.recorder.event(cronJob, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}`);
    return { cronJob, updateStatus };
  }
  if (spec.suspend) return { cronJob, updateStatus };

  let schedule: CronSchedule;
  try {
    schedule = scheduleOf(cronJob, deps.recorder);
  } catch (error) {
    // A user error in the spec: nothing to do until the spec changes.
    deps.recorder.event(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${errorMessage(error)}`);
    return { cronJob, updateStatus };
  }

  const due = nextScheduleTime(cronJob, now, schedule);
  if (due.tooManyMissed) {
    deps.recorder.event(cronJob, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  }
  if (due.error) {
    deps.recorder.event(cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${due.error}`);
    return { cronJob, updateStatus };
  }
  const requeue = (): SyncResult => ({ cronJob, updateStatus, requeueAfterMs: nextScheduleDelayMs(cronJob, now, schedule) });
  if (due.scheduledMs === undefined) return requeue();
  const scheduledMs = due.scheduledMs;

  const deadline = spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && scheduledMs + deadline * 1000 < now) {
    deps.recorder.event(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduledMs)}`);
    return requeue();
  }
  const jobName = jobNameFor(cronJob, scheduledMs);
  const lastScheduled = cronJob.status?.lastScheduleTime ? Date.parse(cronJob.status.lastScheduleTime) : undefined;
  if ((cronJob.status?.active ?? []).some((ref) => ref.name === jobName) || lastScheduled === scheduledMs) return requeue();
  if (spec.concurrencyPolicy === 'Forbid' && (cronJob.status?.active ?? []).length > 0) {
    deps.recorder.event(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return requeue();
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...(cronJob.status?.active ?? [])]) {
      let job: Job;
      try {
        job = await deps.api.getJob(ref.namespace ?? cronJob.metadata?.namespace ?? '', ref.name ?? '');
      } catch (error) {
        deps.recorder.event(cronJob, 'Warning', 'FailedGet', `Get job: ${errorMessage(error)}`);
        throw error;
      }
      if (!(await deleteJob(deps, cronJob, job))) throw new Error(`could not replace job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`);
      updateStatus = true;
    }
  }

  const request = jobFromTemplate(cronJob, scheduledMs);
  let created: Job;
  try {
    created = await deps.api.createJob(cronJob.metadata?.namespace ?? '', request);
    deps.recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
  } catch (error) {
    if (isNamespaceTerminating(error)) throw error;
    if (!isAlreadyExists(error)) {
      deps.recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(error)}`);
      throw error;
    }
    // Someone (or our earlier self) made it already: adopt it into status only if it is ours.
    created = await deps.api.getJob(request.metadata?.namespace ?? '', jobName);
    if (!isControlledBy(created, cronJob) || inActiveList(cronJob, created.metadata?.uid)) return { cronJob, updateStatus };
  }
  const status = (cronJob.status ??= {});
  status.active = [...(status.active ?? []), jobReference(created)];
  status.lastScheduleTime = new Date(scheduledMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  updateStatus = true;
  return requeue();
}

function jobReference(job: Job): ObjectReference {
  return { kind: 'Job', namespace: job.metadata?.namespace, name: job.metadata?.name, uid: job.metadata?.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata?.resourceVersion };
}

/** Deletes a Job and its reference in status.active (upstream's deleteJob). */
export async function deleteJob(deps: CronJobSyncDeps, cronJob: CronJob, job: Job): Promise<boolean> {
  try {
    await deps.api.deleteJob(job.metadata?.namespace ?? '', job.metadata?.name ?? '');
  } catch (error) {
    deps.recorder.event(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(error)}`);
    return false;
  }
  deleteFromActiveList(cronJob, job.metadata?.uid);
  deps.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name ?? ''}`);
  return true;
}

/** Deletes the oldest finished Jobs beyond the history limits; true when status changed. */
export async function cleanupFinishedJobs(deps: CronJobSyncDeps, cronJob: CronJob, jobs: readonly Job[]): Promise<boolean> {
  const spec = cronJob.spec!;
  if (spec.successfulJobsHistoryLimit == null && spec.failedJobsHistoryLimit == null) return false;
  const succeeded: Job[] = [];
  const failed: Job[] = [];
  for (const job of jobs) {
    const type = finishedCondition(job)?.type;
    if (type === 'Complete') succeeded.push(job);
    else if (type === 'Failed') failed.push(job);
  }
  let updated = false;
  if (spec.successfulJobsHistoryLimit != null && (await removeOldestJobs(deps, cronJob, succeeded, spec.successfulJobsHistoryLimit))) updated = true;
  if (spec.failedJobsHistoryLimit != null && (await removeOldestJobs(deps, cronJob, failed, spec.failedJobsHistoryLimit))) updated = true;
  return updated;
}

async function removeOldestJobs(deps: CronJobSyncDeps, cronJob: CronJob, jobs: Job[], keep: number): Promise<boolean> {
  const surplus = jobs.length - keep;
  if (surplus <= 0) return false;
  jobs.sort(byStartTime);
  let updated = false;
  for (const job of jobs.slice(0, surplus)) if (await deleteJob(deps, cronJob, job)) updated = true;
  return updated;
}

/** Oldest start first; Jobs that never started last; ties by name (upstream's byJobStartTime). */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa && sb && sa !== sb) return Date.parse(sa) - Date.parse(sb);
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
