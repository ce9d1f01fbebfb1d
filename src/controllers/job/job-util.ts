// Small predicates over a Job and its pods, shared by the sync phases.
import { completionIndexOf, hasTrackingFinalizer, unknownCompletionIndex } from './indexes.js';
import type { Job, Pod } from './types.js';

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

/** Completions as a number; Indexed Jobs always have them (validation insists). */
export function completionsOf(job: Job): number {
  return job.spec?.completions ?? 0;
}

/** podReplacementPolicy Failed, or a pod failure policy: terminating pods are not replaced until they fail. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/** Failed, or being deleted before it succeeded (orphans never reach Failed) unless only failed pods count. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata?.deletionTimestamp != null && pod.status?.phase !== 'Succeeded';
}

/** Pods not yet counted in status (still holding the finalizer, not in `skip`) with a valid index, that pass the filter. */
export function uncountedPodsWhere(job: Job, pods: readonly Pod[], skip: ReadonlySet<string>, expectedRemovals: ReadonlySet<string>, filter: (pod: Pod) => boolean): Pod[] {
  const indexed = isIndexedJob(job);
  const completions = completionsOf(job);
  return pods.filter((pod) => {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || skip.has(uid) || expectedRemovals.has(uid)) return false;
    if (indexed) {
      const index = completionIndexOf(pod);
      if (index === unknownCompletionIndex || index >= completions) return false;
    }
    return filter(pod);
  });
}

/** "ns/name" of an object. */
export function keyOf(object: { metadata?: { namespace?: string; name?: string } }): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
