// Upstream's manageJob: keep min(parallelism, remaining completions) pods active, deleting the
// least advanced extras first, creating the missing ones in slow-start batches after the pod
// failure back-off, and deleting every active pod of a suspended Job.
import type { EnvVar } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/index.js';
import { newControllerRef } from '../common/controller-ref.js';
import { isPodReady } from '../common/pod-util.js';
import { podFromTemplate, podNamePrefix } from '../common/pod-template.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { remainingBackoffMs } from './backoff.js';
import {
  jobCompletionIndexAnnotation,
  jobCompletionIndexEnvName,
  jobCompletionIndexLabel,
  jobIndexFailureCountAnnotation,
  jobIndexIgnoredFailureCountAnnotation,
  jobTrackingFinalizer,
  maxGeneratedNameLength,
  maxPodCreateDeletePerSync,
  slowStartInitialBatchSize,
  syncJobBatchPeriodMs,
} from './constants.js';
import { duplicateOrInvalidIndexPods, firstPendingIndexes, terminatingPodsOf } from './indexes.js';
import { removeTrackingFinalizerPatch } from './job-api.js';
import { completionsOf, errorMessage, hasBackoffLimitPerIndex, isIndexedJob, isSuspended, onlyReplaceFailedPods } from './job-util.js';
import { remainingBackoffForIndexMs, replacementFailureCounts } from './per-index.js';
import { compareForDeletion } from './pod-ranking.js';
import type { JobSyncDeps, SyncContext } from './sync-context.js';
import { jobApiVersion, jobKind, type Job, type Pod } from './types.js';

export interface ManageResult {
  active: number;
  error?: unknown;
}

export async function manageJob(deps: JobSyncDeps, ctx: SyncContext): Promise<ManageResult> {
  const { job, key } = ctx;
  let active = ctx.activePods.length;
  const parallelism = job.spec?.parallelism ?? 1;

  if (isSuspended(job)) {
    const victims = activePodsForRemoval(job, ctx.activePods, active);
    deps.expectations.expectDeletions(key, victims.length);
    const removed = await deleteJobPods(deps, ctx, victims);
    ctx.terminating += removed.count;
    ctx.ready -= removed.ready;
    return { active: active - removed.count, error: removed.error };
  }

  let wantActive: number;
  if (job.spec?.completions === undefined || job.spec.completions === null) {
    // Work queue: run parallelism pods until one succeeds, then let the running ones finish.
    wantActive = ctx.succeeded > 0 ? active : parallelism;
  } else {
    wantActive = Math.max(0, Math.min(parallelism, job.spec.completions - ctx.succeeded));
  }

  const victims = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - wantActive)).slice(0, maxPodCreateDeletePerSync);
  if (victims.length > 0) {
    // Deletions and creations never happen in one pass; deletions go first.
    deps.expectations.expectDeletions(key, victims.length);
    const removed = await deleteJobPods(deps, ctx, victims);
    ctx.terminating += removed.count;
    ctx.ready -= removed.ready;
    return { active: active - removed.count, error: removed.error };
  }

  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };

  if (!hasBackoffLimitPerIndex(job)) {
    const remaining = remainingBackoffMs(deps.clock, ctx.newBackoffRecord.failuresAfterLastSuccess, ctx.newBackoffRecord.lastFailureTimeMs);
    if (remaining > 0) {
      deps.enqueueAfter(key, Math.max(remaining, syncJobBatchPeriodMs));
      return { active: 0 };
    }
  }
  diff = Math.min(diff, maxPodCreateDeletePerSync);

  let indexesToAdd: number[] = [];
  if (isIndexedJob(job)) {
    indexesToAdd = firstPendingIndexes(
      {
        succeeded: ctx.succeededIndexes,
        failed: ctx.failedIndexes,
        activePods: ctx.activePods,
        terminatingPods: onlyReplaceFailedPods(job) ? terminatingPodsOf(ctx.pods) : undefined,
        completions: completionsOf(job),
      },
      diff,
    );
    if (hasBackoffLimitPerIndex(job)) {
      const ready = indexesToAdd.filter((index) => remainingBackoffForIndexMs(deps.clock, ctx.podsWithDelayedDeletionPerIndex.get(index)) === 0);
      if (ready.length === 0 && indexesToAdd.length > 0) {
        const soonest = Math.min(...indexesToAdd.map((index) => remainingBackoffForIndexMs(deps.clock, ctx.podsWithDelayedDeletionPerIndex.get(index))));
        deps.enqueueAfter(key, Math.max(soonest, syncJobBatchPeriodMs));
        return { active: 0 };
      }
      indexesToAdd = ready;
    }
    diff = indexesToAdd.length;
  }

  deps.expectations.expectCreations(key, diff);
  active += diff;
  let error: unknown;
  // Slow start: 1, 2, 4, ... creations at once; a failing batch stops the rest (quota, admission).
  for (let batch = Math.min(diff, slowStartInitialBatchSize); diff > 0; batch = Math.min(2 * batch, diff)) {
    const slots = Array.from({ length: batch }, () => indexesToAdd.shift());
    const results = await Promise.all(slots.map((index) => createPod(deps, ctx, index)));
    const failures = results.filter((result) => result !== undefined);
    for (const failure of failures) {
      deps.expectations.lowerExpectations(key, 1, 0);
      active--;
      error ??= failure;
    }
    diff -= batch;
    if (failures.length > 0 && diff > 0) {
      // The pods never attempted are not expected either; the next sync retries them.
      deps.expectations.lowerExpectations(key, diff, 0);
      active -= diff;
      break;
    }
  }
  return { active, error };
}

/** The pod for one slot; resolves with the error, or undefined when created (or the namespace is going away). */
async function createPod(deps: JobSyncDeps, ctx: SyncContext, index: number | undefined): Promise<unknown> {
  const { job } = ctx;
  const namespace = job.metadata?.namespace ?? '';
  const name = job.metadata?.name ?? '';
  let generateName = podNamePrefix(name);
  const pod = podFromTemplate(job.spec?.template, namespace, generateName, newControllerRef(job, jobApiVersion, jobKind)) as MutablePod;
  pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer), jobTrackingFinalizer];
  if (index !== undefined) {
    pod.metadata.annotations = { ...pod.metadata.annotations, [jobCompletionIndexAnnotation]: String(index) };
    pod.metadata.labels = { ...pod.metadata.labels, [jobCompletionIndexLabel]: String(index) };
    pod.spec.hostname = `${name}-${index}`;
    addCompletionIndexEnv(pod);
    generateName = podGenerateNameWithIndex(name, index);
    pod.metadata.generateName = generateName;
    if (hasBackoffLimitPerIndex(job)) {
      const counts = replacementFailureCounts(job, ctx.podsWithDelayedDeletionPerIndex.get(index));
      pod.metadata.annotations[jobIndexFailureCountAnnotation] = String(counts.failures);
      if (counts.ignored > 0) pod.metadata.annotations[jobIndexIgnoredFailureCountAnnotation] = String(counts.ignored);
    }
  }
  try {
    const created = await deps.api.createPod(namespace, pod as Pod);
    deps.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    return undefined;
  } catch (error) {
    // Creations in a namespace being torn down all fail; nothing to retry.
    if (isNamespaceTerminating(error)) return undefined;
    deps.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
    return error;
  }
}

type MutablePod = { metadata: { generateName?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec: { hostname?: string; containers: MutableContainer[]; initContainers?: MutableContainer[] } };
type MutableContainer = { env?: EnvVar[] };

/** JOB_COMPLETION_INDEX from the pod's annotation, in every container that does not set it already. */
function addCompletionIndexEnv(pod: MutablePod): void {
  const env: EnvVar = { name: jobCompletionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${jobCompletionIndexAnnotation}']` } } };
  for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    if ((container.env ?? []).some((e) => e.name === jobCompletionIndexEnvName)) continue;
    container.env = [...(container.env ?? []), env];
  }
}

/** "<job>-<index>-", shortened from the job name's end so 5 random characters still fit in 63. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > maxGeneratedNameLength ? jobName.slice(0, maxGeneratedNameLength - suffix.length) + suffix : prefix;
}

/** Pods to delete: duplicate or invalid indexes first (Indexed), then the least advanced, at least rmAtLeast. */
export function activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
  let remove: Pod[] = [];
  let left: Pod[] = [...pods];
  if (isIndexedJob(job)) ({ remove, keep: left } = duplicateOrInvalidIndexPods(pods, completionsOf(job), compareForDeletion));
  if (remove.length < rmAtLeast) remove = [...remove, ...left.sort(compareForDeletion).slice(0, rmAtLeast - remove.length)];
  return remove;
}

export interface DeleteResult {
  count: number;
  ready: number;
  error?: unknown;
}

/** A failed Job's active pods: deleted with their finalizer kept, so tracking counts them as they go. */
export async function deleteActivePods(deps: JobSyncDeps, ctx: SyncContext, pods: readonly Pod[]): Promise<DeleteResult> {
  const results = await Promise.all(
    pods.map(async (pod) => {
      try {
        await deps.api.deletePod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
        deps.recorder.event(ctx.job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
      } catch (error) {
        if (!isNotFound(error)) {
          deps.recorder.event(ctx.job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
          return { deleted: false, ready: isPodReady(pod), error };
        }
      }
      return { deleted: true, ready: isPodReady(pod), error: undefined };
    }),
  );
  return summarize(results);
}

/** Surplus or suspended pods: the finalizer comes off first (they are not counted), then the pod is deleted. */
async function deleteJobPods(deps: JobSyncDeps, ctx: SyncContext, pods: readonly Pod[]): Promise<DeleteResult> {
  const results = await Promise.all(
    pods.map(async (pod) => {
      const namespace = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      try {
        if ((pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer)) await deps.api.patchPod(namespace, name, removeTrackingFinalizerPatch(jobTrackingFinalizer));
        await deps.api.deletePod(namespace, name);
        deps.recorder.event(ctx.job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        return { deleted: true, ready: isPodReady(pod), error: undefined };
      } catch (error) {
        // The informer will not see this deletion: stop waiting for it.
        deps.expectations.lowerExpectations(ctx.key, 0, 1);
        if (isNotFound(error)) return { deleted: true, ready: isPodReady(pod), error: undefined };
        deps.recorder.event(ctx.job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
        return { deleted: false, ready: false, error };
      }
    }),
  );
  return summarize(results);
}

function summarize(results: readonly { deleted: boolean; ready: boolean; error: unknown }[]): DeleteResult {
  return {
    count: results.filter((r) => r.deleted).length,
    ready: results.filter((r) => r.deleted && r.ready).length,
    error: results.find((r) => r.error !== undefined)?.error,
  };
}
