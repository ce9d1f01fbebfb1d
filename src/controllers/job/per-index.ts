// backoffLimitPerIndex (upstream's JobBackoffLimitPerIndex, beta in v1.32): each index of an
// Indexed Job has its own failure budget, carried from a failed pod to its replacement in the
// job-index-failure-count annotation; an index past its budget is failed for good.
import type { Clock } from '../common/clock.js';
import { podFinishedTimeMs, remainingBackoffMs } from './backoff.js';
import { jobIndexFailureCountAnnotation, jobIndexIgnoredFailureCountAnnotation } from './constants.js';
import { completionIndexOf, hasIndex, hasTrackingFinalizer, indexesOf, parseIndexes, unknownCompletionIndex, withIndexes, type Interval } from './indexes.js';
import { completionsOf, isPodFailed } from './job-util.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { Job, Pod } from './types.js';

function annotationCount(pod: Pod | undefined, name: string): number {
  const value = Number(pod?.metadata?.annotations?.[name] ?? '0');
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

export function indexFailureCount(pod: Pod): number {
  return annotationCount(pod, jobIndexFailureCountAnnotation);
}

/** Failures counted and ignored so far in the pod's index. */
export function absoluteFailureCount(pod: Pod): number {
  return annotationCount(pod, jobIndexFailureCountAnnotation) + annotationCount(pod, jobIndexIgnoredFailureCountAnnotation);
}

/** Whether this failed pod fails its index: a FailIndex rule, or the index's budget is spent. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec?.podFailurePolicy) {
    const match = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (match.action === 'FailIndex') return true;
    counted = match.countFailed;
  }
  return counted && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

export function calculateFailedIndexes(job: Job, pods: readonly Pod[]): Interval[] {
  const completions = completionsOf(job);
  const previous = parseIndexes(job.status?.failedIndexes, completions);
  const fresh = new Set<number>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index === unknownCompletionIndex || index >= completions || !hasTrackingFinalizer(pod)) continue;
    if (isIndexFailed(job, pod)) fresh.add(index);
  }
  return withIndexes(previous, [...fresh].sort((a, b) => a - b));
}

/**
 * The last failed pod of each index that is still to be retried: its finalizer stays until its
 * replacement exists, since the replacement's failure count is read from it.
 */
export function podsWithDelayedDeletionPerIndex(job: Job, candidates: readonly Pod[], activePods: readonly Pod[], succeeded: readonly Interval[], failed: readonly Interval[]): Map<number, Pod> {
  const active = new Set(indexesOf(activePods));
  const result = new Map<number, Pod>();
  for (const pod of candidates) {
    if (!isPodFailed(pod, job)) continue;
    const index = completionIndexOf(pod);
    if (hasIndex(succeeded, index) || hasIndex(failed, index) || active.has(index)) continue;
    const last = result.get(index);
    if (!last || (absoluteFailureCount(last) <= absoluteFailureCount(pod) && podFinishedTimeMs(pod) >= podFinishedTimeMs(last))) result.set(index, pod);
  }
  return result;
}

/** The failure-count annotations for the replacement of `replaced` (getNewIndexFailureCounts). */
export function replacementFailureCounts(job: Job, replaced: Pod | undefined): { failures: number; ignored: number } {
  if (!replaced) return { failures: 0, ignored: 0 };
  let failures = annotationCount(replaced, jobIndexFailureCountAnnotation);
  let ignored = annotationCount(replaced, jobIndexIgnoredFailureCountAnnotation);
  if (job.spec?.podFailurePolicy && !matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) ignored++;
  else failures++;
  return { failures, ignored };
}

/** The back-off still due before the index of `lastFailed` may get a new pod. */
export function remainingBackoffForIndexMs(clock: Clock, lastFailed: Pod | undefined): number {
  if (!lastFailed) return 0;
  return remainingBackoffMs(clock, absoluteFailureCount(lastFailed) + 1, podFinishedTimeMs(lastFailed));
}
