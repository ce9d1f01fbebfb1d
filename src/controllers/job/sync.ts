// One pass of upstream's syncJob: claim the Job's pods, decide whether it has failed (backoff
// limit, deadline, pod failure policy, failed indexes) or succeeded, otherwise create or delete
// pods toward parallelism, then count finished pods and finish the Job through its status.
import { isNotFound } from '../../client/index.js';
import { rfc3339 } from '../common/clock.js';
import { claimObjects } from '../common/controller-ref.js';
import { isPodReady } from '../common/pod-util.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import {
  backoffLimitExceededMessage,
  backoffLimitExceededReason,
  deadlineExceededMessage,
  deadlineExceededReason,
  ensureConditionStatus,
  failedIndexesMessage,
  failedIndexesReason,
  findCondition,
  isJobFinished,
  maxFailedIndexesExceededMessage,
  maxFailedIndexesExceededReason,
  completionsReachedMessage,
  completionsReachedReason,
  newCondition,
  podFailurePolicyReason,
} from './conditions.js';
import { jobControllerName, jobTrackingFinalizer } from './constants.js';
import { activePodsOf, calculateSucceededIndexes, terminatingPodsOf, totalOf } from './indexes.js';
import { completionsOf, hasBackoffLimitPerIndex, isIndexedJob, isPodFailed, isSuspended, uncountedPodsWhere } from './job-util.js';
import { deleteActivePods, manageJob } from './manage.js';
import { calculateFailedIndexes, podsWithDelayedDeletionPerIndex } from './per-index.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { JobSyncDeps, SyncContext } from './sync-context.js';
import { trackJobStatusAndRemoveFinalizers } from './tracking.js';
import { jobApiVersion, jobKind, type Job, type Pod } from './types.js';

export async function syncJob(deps: JobSyncDeps, key: string): Promise<void> {
  const cached = deps.jobs.get(key) as Job | undefined;
  if (!cached) {
    deps.expectations.deleteExpectations(key);
    deps.finalizerExpectations.delete(key);
    deps.backoff.remove(key);
    return;
  }
  // Another controller (spec.managedBy) runs this Job.
  if (cached.spec?.managedBy !== undefined && cached.spec.managedBy !== jobControllerName) return;
  if (isJobFinished(cached)) {
    deps.backoff.remove(key);
    return;
  }
  const job = structuredClone(cached) as Job;
  job.apiVersion ??= jobApiVersion;
  job.kind ??= jobKind;
  const spec = (job.spec ??= {});
  const status = (job.status ??= {});
  if (spec.completionMode !== undefined && spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed') {
    deps.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
    return;
  }
  status.uncountedTerminatedPods ??= {};
  // Checked before listing pods: a pod created after this check defers the decision to the next sync.
  const satisfiedExpectations = deps.expectations.satisfiedExpectations(key);
  const pods = await podsForJob(deps, job);
  const activePods = activePodsOf(pods);
  const now = deps.clock.now();
  const ctx: SyncContext = {
    key,
    job,
    pods,
    activePods,
    succeeded: 0,
    failed: 0,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
    expectedRemovals: deps.finalizerExpectations.expectedUids(key),
    uncountedSucceeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
    uncountedFailed: new Set(status.uncountedTerminatedPods.failed ?? []),
    podsWithDelayedDeletionPerIndex: new Map(),
    terminating: terminatingPodsOf(pods).length,
    ready: activePods.filter((pod) => isPodReady(pod)).length,
  };
  let active = activePods.length;
  const newSucceeded = uncountedPodsWhere(job, pods, ctx.uncountedSucceeded, ctx.expectedRemovals, (pod) => pod.status?.phase === 'Succeeded');
  const newFailed = uncountedPodsWhere(job, pods, ctx.uncountedFailed, ctx.expectedRemovals, (pod) => isPodFailed(pod, job));
  const newCountedFailed = newFailed.filter((pod) => !spec.podFailurePolicy || matchPodFailurePolicy(spec.podFailurePolicy, pod).countFailed).length;
  ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
  ctx.failed = (status.failed ?? 0) + newCountedFailed + ctx.uncountedFailed.size;

  if (!status.startTime && !isSuspended(job)) status.startTime = rfc3339(now);
  ctx.newBackoffRecord = deps.backoff.newRecord(key, newSucceeded, newFailed);

  decideFinished(deps, ctx);

  let manageError: unknown;
  let suspendConditionChanged = false;
  if (ctx.finishedCondition) {
    const deleted = await deleteActivePods(deps, ctx, activePods);
    // Pods we could not delete, or ones not yet in the cache: the Job cannot be declared finished yet.
    if (deleted.count !== active || !satisfiedExpectations) ctx.finishedCondition = undefined;
    active -= deleted.count;
    ctx.terminating += deleted.count;
    ctx.ready -= deleted.ready;
    manageError = deleted.error;
  } else {
    let manageJobCalled = false;
    if (satisfiedExpectations && !job.metadata?.deletionTimestamp) {
      const managed = await manageJob(deps, ctx);
      active = managed.active;
      manageError = managed.error;
      manageJobCalled = true;
    }
    const complete = spec.completions === undefined || spec.completions === null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= spec.completions && active === 0;
    if (complete) {
      ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', completionsReachedReason, completionsReachedMessage, deps.clock.now());
    } else if (manageJobCalled) {
      status.conditions ??= [];
      if (isSuspended(job)) {
        if (ensureConditionStatus(status.conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', deps.clock.now())) {
          suspendConditionChanged = true;
          deps.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        }
      } else if (ensureConditionStatus(status.conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', deps.clock.now())) {
        suspendConditionChanged = true;
        deps.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
        // activeDeadlineSeconds counts continuous activity, so resuming restarts the clock.
        status.startTime = rfc3339(deps.clock.now());
      }
    }
  }

  const needsStatusUpdate = suspendConditionChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
  status.active = active;
  status.ready = ctx.ready;
  status.terminating = ctx.terminating;
  await trackJobStatusAndRemoveFinalizers(deps, ctx, needsStatusUpdate);
  if (manageError) throw manageError;
}

/** Sets ctx.finishedCondition when the Job has failed or met its success criteria. */
function decideFinished(deps: JobSyncDeps, ctx: SyncContext): void {
  const { job } = ctx;
  const spec = job.spec!;
  const status = job.status!;
  const now = deps.clock.now();
  const successCriteriaMet = findCondition(status.conditions, 'SuccessCriteriaMet');
  if (successCriteriaMet?.status === 'True') ctx.finishedCondition = successCriteriaMet;
  if (!ctx.finishedCondition) {
    const failureTarget = findCondition(status.conditions, 'FailureTarget');
    if (failureTarget?.status === 'True') {
      ctx.finishedCondition = newCondition('Failed', 'True', failureTarget.reason ?? '', failureTarget.message ?? '', now);
    } else if (spec.podFailurePolicy) {
      const message = ctx.pods.filter((pod) => isPodFailed(pod, job)).map((pod) => matchPodFailurePolicy(spec.podFailurePolicy, pod).failJobMessage).find((m) => m !== undefined);
      if (message) ctx.finishedCondition = newCondition('FailureTarget', 'True', podFailurePolicyReason, message, now);
    }
  }
  if (!ctx.finishedCondition) {
    if (ctx.failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) {
      ctx.finishedCondition = newCondition('FailureTarget', 'True', backoffLimitExceededReason, backoffLimitExceededMessage, now);
    } else if (pastActiveDeadline(job, now)) {
      ctx.finishedCondition = newCondition('FailureTarget', 'True', deadlineExceededReason, deadlineExceededMessage, now);
    } else if (spec.activeDeadlineSeconds !== undefined && !isSuspended(job) && status.startTime) {
      deps.enqueueAfter(ctx.key, spec.activeDeadlineSeconds * 1000 - (now - Date.parse(status.startTime)));
    }
  }
  if (!isIndexedJob(job)) return;
  const completions = completionsOf(job);
  const indexes = calculateSucceededIndexes(status.completedIndexes, completions, ctx.pods);
  ctx.prevSucceededIndexes = indexes.previous;
  ctx.succeededIndexes = indexes.current;
  ctx.succeeded = totalOf(indexes.current);
  if (hasBackoffLimitPerIndex(job)) {
    ctx.failedIndexes = calculateFailedIndexes(job, ctx.pods);
    const failedTotal = totalOf(ctx.failedIndexes);
    if (!ctx.finishedCondition) {
      if (spec.maxFailedIndexes !== undefined && failedTotal > spec.maxFailedIndexes) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', maxFailedIndexesExceededReason, maxFailedIndexesExceededMessage, now);
      } else if (failedTotal > 0 && failedTotal + ctx.succeeded >= completions) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', failedIndexesReason, failedIndexesMessage, now);
      }
    }
    const candidates = uncountedPodsWhere(job, ctx.pods, new Set(), ctx.expectedRemovals, () => true);
    ctx.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletionPerIndex(job, candidates, ctx.activePods, ctx.succeededIndexes, ctx.failedIndexes);
  }
}

/** restartPolicy OnFailure: container restarts of running pods add up against backoffLimit. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    for (const status of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) restarts += status.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function pastActiveDeadline(job: Job, nowMs: number): boolean {
  const deadline = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (deadline === undefined || !start || isSuspended(job)) return false;
  return nowMs - Date.parse(start) >= deadline * 1000;
}

/**
 * The pods this Job controls (upstream's getPodsForJob): its own, plus matching orphans it adopts
 * (with the tracking finalizer); owned pods that stopped matching are released.
 */
async function podsForJob(deps: JobSyncDeps, job: Job): Promise<Pod[]> {
  const namespace = job.metadata?.namespace ?? '';
  const selector = labelSelectorFromObject(job.spec?.selector);
  const candidates = deps.pods.byIndex('namespace', namespace) as Pod[];
  const claimed = await claimObjects(candidates, {
    owner: job,
    ownerApiVersion: jobApiVersion,
    ownerKind: jobKind,
    matches: (pod) => selector.matches(pod.metadata?.labels),
    finalizers: [jobTrackingFinalizer],
    client: { patch: async (ns, name, patch) => (await deps.api.patchPod(ns ?? namespace, name, patch), candidates.find((p) => p.metadata?.name === name) ?? {}) },
    canAdopt: async () => {
      try {
        const fresh = await deps.api.getJob(namespace, job.metadata?.name ?? '');
        return fresh.metadata?.uid === job.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
  });
  // Adopted pods now carry the finalizer; count them as such in this pass.
  return claimed.map((pod) => {
    const owned = (pod.metadata?.ownerReferences ?? []).some((ref) => ref.uid === job.metadata?.uid);
    if (owned || (pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer)) return pod;
    return { ...pod, metadata: { ...pod.metadata, finalizers: [...(pod.metadata?.finalizers ?? []), jobTrackingFinalizer] } };
  });
}
