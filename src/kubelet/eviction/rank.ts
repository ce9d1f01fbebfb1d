// The order pods are evicted in (rankMemoryPressure, rankDiskPressureFunc, rankPIDPressure):
// first the pods using more than they requested (BestEffort pods request nothing, so any use
// counts), then lower priority, then the largest use above the request. Pods without stats
// come first of all.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Signal } from './signals.js';
import { podDiskUsage, podMemoryBytes, podRequestBytes, type PodStats, type StatsFunc } from './pod-stats.js';

type Compare = (a: Pod, b: Pod) => number;

/** true before false. */
function trueFirst(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? -1 : 1;
}

function withStats(stats: StatsFunc, compare: (a: Pod, sa: PodStats, b: Pod, sb: PodStats) => number): Compare {
  return (a, b) => {
    const sa = stats(a);
    const sb = stats(b);
    if (!sa || !sb) return trueFirst(!sa, !sb);
    return compare(a, sa, b, sb);
  };
}

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

const byPriority: Compare = (a, b) => Math.sign(podPriority(a) - podPriority(b));

function ordered(...compares: Compare[]): Compare {
  return (a, b) => {
    for (const compare of compares) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}

function memoryRank(stats: StatsFunc): Compare {
  const over = (pod: Pod, s: PodStats): number => podMemoryBytes(s) - podRequestBytes(pod, 'memory');
  return ordered(
    withStats(stats, (a, sa, b, sb) => trueFirst(over(a, sa) > 0, over(b, sb) > 0)),
    byPriority,
    withStats(stats, (a, sa, b, sb) => Math.sign(over(b, sb) - over(a, sa))),
  );
}

function diskRank(stats: StatsFunc, unit: 'bytes' | 'inodes'): Compare {
  // Upstream compares inodes with the ephemeral-storage request too (there is no inode request).
  const over = (pod: Pod, s: PodStats): number => podDiskUsage(s, unit) - podRequestBytes(pod, 'ephemeral-storage');
  return ordered(
    withStats(stats, (a, sa, b, sb) => trueFirst(over(a, sa) > 0, over(b, sb) > 0)),
    byPriority,
    withStats(stats, (a, sa, b, sb) => Math.sign(over(b, sb) - over(a, sa))),
  );
}

function pidRank(stats: StatsFunc): Compare {
  return ordered(
    byPriority,
    withStats(stats, (_a, sa, _b, sb) => Math.sign(sb.processes - sa.processes)),
  );
}

/** The pods in the order to evict them for pressure on the signal (a stable sort). */
export function rankForEviction<P extends Pod>(pods: readonly P[], signal: Signal, stats: StatsFunc): P[] {
  const compare =
    signal === 'memory.available' ? memoryRank(stats) : signal === 'pid.available' ? pidRank(stats) : diskRank(stats, signal.endsWith('inodesFree') ? 'inodes' : 'bytes');
  return [...pods].sort(compare);
}
