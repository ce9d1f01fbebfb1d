// Completion indexes of Indexed Jobs (upstream's indexed_job_utils.go): sets of indexes kept as
// ordered, non-overlapping intervals and written as "1,3-5,7" in status.completedIndexes.
import { isPodActive, isPodTerminating } from '../common/pod-util.js';
import { jobCompletionIndexAnnotation, jobTrackingFinalizer } from './constants.js';
import type { Pod } from './types.js';

export interface Interval {
  first: number;
  last: number;
}

export const unknownCompletionIndex = -1;

/** The pod's completion index, or -1 when the annotation is missing or not a non-negative integer. */
export function completionIndexOf(pod: Pod): number {
  const text = pod.metadata?.annotations?.[jobCompletionIndexAnnotation];
  if (text === undefined || !/^\+?\d+$/.test(text)) return unknownCompletionIndex;
  const index = Number(text);
  return Number.isSafeInteger(index) ? index : unknownCompletionIndex;
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer);
}

export function totalOf(intervals: readonly Interval[]): number {
  return intervals.reduce((sum, interval) => sum + interval.last - interval.first + 1, 0);
}

export function hasIndex(intervals: readonly Interval[], index: number): boolean {
  return intervals.some((interval) => interval.first <= index && index <= interval.last);
}

/** "1,3-5,7"; "" for no indexes. */
export function formatIndexes(intervals: readonly Interval[]): string {
  return intervals.map((interval) => (interval.first === interval.last ? `${interval.first}` : `${interval.first}-${interval.last}`)).join(',');
}

/** Parses status.completedIndexes / failedIndexes, dropping indexes at or beyond completions (as upstream, after a scale-down). */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const result: Interval[] = [];
  if (!text) return result;
  for (const part of text.split(',')) {
    const [firstText, lastText] = part.split('-');
    const first = Number(firstText);
    const last = lastText === undefined ? first : Number(lastText);
    if (!Number.isInteger(first) || !Number.isInteger(last) || first > last || first >= completions) continue;
    result.push({ first, last: Math.min(last, completions - 1) });
  }
  return merge(result, []);
}

/** The intervals with more (sorted) indexes added. */
export function withIndexes(intervals: readonly Interval[], sortedIndexes: readonly number[]): Interval[] {
  return merge(intervals, sortedIndexes.map((index) => ({ first: index, last: index })));
}

/** Union of two interval lists, merging adjacent intervals. */
export function merge(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const result: Interval[] = [];
  for (const interval of all) {
    const last = result[result.length - 1];
    if (last && interval.first <= last.last + 1) last.last = Math.max(last.last, interval.last);
    else result.push({ ...interval });
  }
  return result;
}

/** Sorted, de-duplicated indexes of pods with a valid index. */
export function indexesOf(pods: readonly Pod[]): number[] {
  const set = new Set<number>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index !== unknownCompletionIndex) set.add(index);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * Upstream's calculateSucceededIndexes: the indexes already in status, and those plus the indexes
 * of succeeded pods not yet counted (still holding the tracking finalizer).
 */
export function calculateSucceededIndexes(completedIndexes: string | undefined, completions: number, pods: readonly Pod[]): { previous: Interval[]; current: Interval[] } {
  const previous = parseIndexes(completedIndexes, completions);
  const fresh = pods.filter((pod) => pod.status?.phase === 'Succeeded' && hasTrackingFinalizer(pod)).map(completionIndexOf).filter((index) => index !== unknownCompletionIndex && index < completions);
  return { previous, current: withIndexes(previous, [...new Set(fresh)].sort((a, b) => a - b)) };
}

export interface PendingIndexesInput {
  succeeded: readonly Interval[];
  failed?: readonly Interval[];
  activePods: readonly Pod[];
  /** Terminating pods block their index when only failed pods are replaced (podReplacementPolicy Failed). */
  terminatingPods?: readonly Pod[];
  completions: number;
}

/** The lowest `count` indexes that are neither succeeded, failed nor running (firstPendingIndexes). */
export function firstPendingIndexes(input: PendingIndexesInput, count: number): number[] {
  if (count <= 0) return [];
  let nonPending = withIndexes(input.succeeded, indexesOf(input.activePods));
  if (input.terminatingPods) nonPending = withIndexes(nonPending, indexesOf(input.terminatingPods));
  if (input.failed) nonPending = merge(nonPending, input.failed);
  const result: number[] = [];
  let candidate = 0;
  for (const interval of nonPending) {
    for (; candidate < input.completions && result.length < count && candidate < interval.first; candidate++) result.push(candidate);
    if (candidate < interval.last + 1) candidate = interval.last + 1;
  }
  for (; candidate < input.completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** Active pods of an Indexed Job that must go: no valid index, an index beyond completions, or a second pod for an index. */
export function duplicateOrInvalidIndexPods(pods: readonly Pod[], completions: number, rank: (a: Pod, b: Pod) => number): { remove: Pod[]; keep: Pod[] } {
  const byIndex = new Map<number, Pod[]>();
  const remove: Pod[] = [];
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index === unknownCompletionIndex || index >= completions) {
      remove.push(pod);
      continue;
    }
    byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
  }
  const keep: Pod[] = [];
  for (const group of byIndex.values()) {
    // Keep the most advanced pod of the index (last in deletion order), remove the others.
    const sorted = [...group].sort(rank);
    keep.push(sorted.pop()!);
    remove.push(...sorted);
  }
  return { remove, keep };
}

/** Pods being deleted that have not finished (controller.FilterTerminatingPods). */
export function terminatingPodsOf(pods: readonly Pod[]): Pod[] {
  return pods.filter((pod) => isPodTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
}

export function activePodsOf(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}
