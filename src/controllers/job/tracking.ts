// Counting finished pods with the job-tracking finalizer (upstream's trackJobStatusAndRemoveFinalizers):
// a finished pod's UID goes into status.uncountedTerminatedPods first, then its finalizer comes off,
// then it moves into the succeeded/failed counters. Whatever fails in between, no pod is counted
// twice or lost. The Job is finished (Complete/Failed) only once nothing is uncounted or terminating.
import { hasIndex, withIndexes, formatIndexes, completionIndexOf, hasTrackingFinalizer, unknownCompletionIndex, totalOf } from './indexes.js';
import { completionsOf, errorMessage, hasBackoffLimitPerIndex, isIndexedJob, isPodFailed } from './job-util.js';
import { jobTrackingFinalizer, maxUncountedPods } from './constants.js';
import { newCondition, ensureConditionStatus } from './conditions.js';
import { removeTrackingFinalizerPatch } from './job-api.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { JobSyncDeps, SyncContext } from './sync-context.js';
import type { Job, JobCondition, Pod } from './types.js';
import { isNotFound } from '../../client/index.js';

export async function trackJobStatusAndRemoveFinalizers(deps: JobSyncDeps, ctx: SyncContext, needsFlushIn: boolean): Promise<void> {
  let needsFlush = needsFlushIn;
  const job = ctx.job;
  const status = job.status!;
  const indexed = isIndexedJob(job);
  const completions = completionsOf(job);
  const uncounted = (status.uncountedTerminatedPods ??= {});
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : ctx.pods;

  const uidsWithFinalizer = new Set<string>();
  for (const pod of pods) {
    const uid = pod.metadata?.uid ?? '';
    if (hasTrackingFinalizer(pod) && !ctx.expectedRemovals.has(uid)) uidsWithFinalizer.add(uid);
  }
  if (cleanUncountedPodsWithoutFinalizers(job, uidsWithFinalizer)) needsFlush = true;

  const podsToRemoveFinalizer: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMaxUncountedPods = false;
  for (const pod of pods) {
    const uid = pod.metadata?.uid ?? '';
    // Counted in an earlier pass, or its finalizer removal is on its way.
    if (!hasTrackingFinalizer(pod) || ctx.expectedRemovals.has(uid)) continue;
    const considerFailed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, pod, considerFailed)) continue;
    podsToRemoveFinalizer.push(pod);
    const index = completionIndexOf(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
      if (indexed) {
        // The index alone prevents counting a success twice; no UID needed.
        if (index !== unknownCompletionIndex && index < completions && !hasIndex(ctx.prevSucceededIndexes, index)) {
          newSucceededIndexes.push(index);
          needsFlush = true;
        }
      } else if (!ctx.uncountedSucceeded.has(uid)) {
        uncounted.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (considerFailed || (ctx.finishedCondition && ctx.finishedCondition.type !== 'SuccessCriteriaMet')) {
      // Once the Job has failed, every pod not finished successfully counts as failed.
      if (!ctx.uncountedFailed.has(uid) && (!indexed || (index !== unknownCompletionIndex && index < completions))) {
        const counts = job.spec?.podFailurePolicy ? matchPodFailurePolicy(job.spec.podFailurePolicy, pod).countFailed : true;
        if (counts) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= maxUncountedPods) {
      // Status stays small and a big Job yields to others; the status write requeues it.
      reachedMaxUncountedPods = true;
      break;
    }
  }
  if (indexed) {
    ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, [...new Set(newSucceededIndexes)].sort((a, b) => a - b));
    const text = formatIndexes(ctx.succeededIndexes);
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalOf(ctx.succeededIndexes);
    status.completedIndexes = text;
    const failedText = ctx.failedIndexes ? formatIndexes(ctx.failedIndexes) : undefined;
    if (hasBackoffLimitPerIndex(job) && failedText !== status.failedIndexes) {
      status.failedIndexes = failedText;
      needsFlush = true;
    }
  }
  const now = deps.clock.now();
  if (ctx.finishedCondition?.type === 'FailureTarget') {
    // The interim condition is written before finalizers come off; Failed follows once all is counted.
    status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
    needsFlush = true;
    ctx.finishedCondition = newCondition('Failed', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', now);
  }
  if (ctx.finishedCondition?.type === 'SuccessCriteriaMet') {
    if (!(status.conditions ?? []).some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True')) {
      status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
      needsFlush = true;
    }
    ctx.finishedCondition = newCondition('Complete', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', now);
  }

  needsFlush = await flushUncountedAndRemoveFinalizers(deps, ctx, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
  const finished = !reachedMaxUncountedPods && enactJobFinished(deps, ctx);
  if (finished) needsFlush = true;
  if (!needsFlush) return;
  ctx.job = await writeStatus(deps, ctx.job);
  if (finished) recordJobFinished(deps, ctx.job, ctx.finishedCondition!);
}

/** Whether this pod's finalizer may come off now (canRemoveFinalizer). */
function canRemoveFinalizer(ctx: SyncContext, pod: Pod, considerFailed: boolean): boolean {
  if (ctx.job.metadata?.deletionTimestamp || ctx.finishedCondition || pod.status?.phase === 'Succeeded') return true;
  if (!considerFailed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    // The last failed pod of an index keeps its finalizer until its replacement exists.
    const delayed = ctx.podsWithDelayedDeletionPerIndex.get(completionIndexOf(pod));
    if (delayed && delayed.metadata?.uid === pod.metadata?.uid) return false;
  }
  return true;
}

/**
 * Writes new uncounted UIDs (and interim conditions) first, then removes the finalizers, then moves
 * the UIDs whose finalizer is gone into the counters. Returns whether a write is still pending.
 */
async function flushUncountedAndRemoveFinalizers(deps: JobSyncDeps, ctx: SyncContext, podsToRemoveFinalizer: readonly Pod[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean): Promise<boolean> {
  let needsFlush = needsFlushIn;
  if (needsFlush) {
    ctx.job = await writeStatus(deps, ctx.job);
    // The back-off counts the failures only once their UIDs are safely in status.
    deps.backoff.update(ctx.newBackoffRecord);
    needsFlush = false;
  }
  let removalError: unknown;
  if (podsToRemoveFinalizer.length > 0) {
    const uids = podsToRemoveFinalizer.map((pod) => pod.metadata?.uid ?? '');
    deps.finalizerExpectations.expectRemoved(ctx.key, uids);
    const results = await Promise.all(
      podsToRemoveFinalizer.map(async (pod) => {
        const uid = pod.metadata?.uid ?? '';
        try {
          await deps.api.patchPod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', removeTrackingFinalizerPatch(jobTrackingFinalizer));
          return true;
        } catch (error) {
          // No update will show the finalizer gone: stop expecting it.
          deps.finalizerExpectations.removalObserved(ctx.key, uid);
          if (isNotFound(error)) return true;
          removalError ??= new Error(`removing tracking finalizer: ${errorMessage(error)}`);
          return false;
        }
      }),
    );
    podsToRemoveFinalizer.forEach((pod, i) => {
      if (results[i]) uidsWithFinalizer.delete(pod.metadata?.uid ?? '');
    });
  }
  if (cleanUncountedPodsWithoutFinalizers(ctx.job, uidsWithFinalizer)) needsFlush = true;
  if (removalError) {
    // Save the partial progress, then have the sync retried.
    if (needsFlush) ctx.job = await writeStatus(deps, ctx.job);
    throw removalError;
  }
  return needsFlush;
}

/** Writes the status as Go serialises it (empty UID lists omitted) and returns the stored Job. */
async function writeStatus(deps: JobSyncDeps, job: Job): Promise<Job> {
  const body = structuredClone(job);
  const uncounted = body.status?.uncountedTerminatedPods;
  if (uncounted && !uncounted.succeeded?.length) delete uncounted.succeeded;
  if (uncounted && !uncounted.failed?.length) delete uncounted.failed;
  const stored = structuredClone(await deps.api.updateJobStatus(body)) as Job;
  ensureStatusShape(stored);
  return stored;
}

function ensureStatusShape(job: Job): void {
  const status = (job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
}

/** Moves UIDs whose finalizer is gone from uncountedTerminatedPods into the counters. */
function cleanUncountedPodsWithoutFinalizers(job: Job, uidsWithFinalizer: ReadonlySet<string>): boolean {
  ensureStatusShape(job);
  const status = job.status!;
  const uncounted = status.uncountedTerminatedPods!;
  let updated = false;
  const succeeded = uncounted.succeeded!.filter((uid) => uidsWithFinalizer.has(uid));
  if (succeeded.length !== uncounted.succeeded!.length) {
    status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded!.length - succeeded.length;
    uncounted.succeeded = succeeded;
    updated = true;
  }
  const failed = uncounted.failed!.filter((uid) => uidsWithFinalizer.has(uid));
  if (failed.length !== uncounted.failed!.length) {
    status.failed = (status.failed ?? 0) + uncounted.failed!.length - failed.length;
    uncounted.failed = failed;
    updated = true;
  }
  return updated;
}

/** Adds Complete or Failed once nothing is uncounted and no pod is terminating. */
function enactJobFinished(deps: JobSyncDeps, ctx: SyncContext): boolean {
  const condition = ctx.finishedCondition;
  if (!condition) return false;
  const status = ctx.job.status!;
  const uncounted = status.uncountedTerminatedPods;
  if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
  if (ctx.terminating > 0) return false;
  status.conditions ??= [];
  ensureConditionStatus(status.conditions, condition.type, condition.status, condition.reason ?? '', condition.message ?? '', deps.clock.now());
  if (condition.type === 'Complete') status.completionTime = status.conditions.find((c) => c.type === 'Complete')?.lastTransitionTime;
  return true;
}

function recordJobFinished(deps: JobSyncDeps, job: Job, condition: JobCondition): void {
  if (condition.type === 'Complete') {
    const completions = job.spec?.completions;
    if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
      deps.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    deps.recorder.event(job, 'Warning', condition.reason ?? 'Failed', condition.message ?? '');
  }
}
