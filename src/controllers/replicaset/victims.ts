// Which pods go first when a ReplicaSet scales down: upstream's ActivePodsWithRanks ordering
// (pkg/controller/controller_utils.go) with the PodDeletionCost and LogarithmicScaleDown
// features on, as they are by default in v1.32. Earlier in the order = deleted first.
import { isPodActive, isPodReady, podCondition } from '../common/pod-util.js';
import type { Pod } from './types.js';

/** The annotation that lets users rank pods for deletion (lower cost goes first). */
export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

export interface RankedPod {
  pod: Pod;
  /** Active pods of related owners on this pod's node (more = doubled up = deleted first). */
  rank: number;
}

/**
 * Upstream's getPodsToDelete: the first diff pods in deletion order. relatedPods are the pods of
 * every ReplicaSet under the same controller (a Deployment's), so colocated pods go first.
 */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = filteredPods.map((pod) => ({ pod, rank: podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  // Array.prototype.sort is stable; Go's sort.Sort is not, but no caller relies on either.
  ranked.sort((a, b) => (deletesBefore(a, b, nowMs) ? -1 : deletesBefore(b, a, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((entry) => entry.pod);
}

/** ActivePodsWithRanks.Less: true when a should be deleted before b. */
export function deletesBefore(a: RankedPod, b: RankedPod, nowMs: number): boolean {
  const pi = a.pod;
  const pj = b.pod;
  const nodeI = pi.spec?.nodeName ?? '';
  const nodeJ = pj.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (nodeI !== nodeJ && (nodeI === '' || nodeJ === '')) return nodeI === '';
  // 2. Pending < Unknown < Running.
  const phaseI = phaseOrdinal[pi.status?.phase ?? ''] ?? 0;
  const phaseJ = phaseOrdinal[pj.status?.phase ?? ''] ?? 0;
  if (phaseI !== phaseJ) return phaseI < phaseJ;
  // 3. Not ready < ready.
  const readyI = isPodReady(pi);
  const readyJ = isPodReady(pj);
  if (readyI !== readyJ) return !readyI;
  // 4. Lower pod-deletion-cost < higher.
  const costI = deletionCost(pi);
  const costJ = deletionCost(pj);
  if (costI !== costJ) return costI < costJ;
  // 5. Doubled up (more related pods on the node) < not doubled up.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready for less time < more time, compared in log2 buckets of age.
  if (readyI && readyJ) {
    const readyTimeI = readyTimeMs(pi);
    const readyTimeJ = readyTimeMs(pj);
    if (readyTimeI !== readyTimeJ) return newerInLogScale(readyTimeI, readyTimeJ, pi, pj, nowMs);
  }
  // 7. More container restarts < fewer.
  const restarts = compareMaxContainerRestarts(pi, pj);
  if (restarts !== undefined) return restarts;
  // 8. Newer (or no creation time) < older.
  const createdI = timeMs(pi.metadata?.creationTimestamp);
  const createdJ = timeMs(pj.metadata?.creationTimestamp);
  if (createdI !== createdJ) return newerInLogScale(createdI, createdJ, pi, pj, nowMs);
  return false;
}

/** The pod-deletion-cost annotation as an int32; absent or invalid is 0 (upstream ignores bad values here). */
export function deletionCost(pod: Pod): number {
  const text = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : 0;
}

function timeMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function readyTimeMs(pod: Pod): number | undefined {
  return timeMs(podCondition(pod, 'Ready')?.lastTransitionTime);
}

/**
 * LogarithmicScaleDown: times in the same power-of-two age bucket count as equal and fall back
 * to the uid, so scale-down is spread over ages instead of always taking the very newest.
 * A missing time sorts first (upstream's afterOrZero).
 */
function newerInLogScale(timeI: number | undefined, timeJ: number | undefined, pi: Pod, pj: Pod, nowMs: number): boolean {
  if (timeI === undefined || timeJ === undefined) return timeI === undefined;
  const rankDiff = logarithmicRank(nowMs - timeI) - logarithmicRank(nowMs - timeJ);
  if (rankDiff === 0) return (pi.metadata?.uid ?? '') < (pj.metadata?.uid ?? '');
  return rankDiff < 0;
}

/** floor(log2(age in nanoseconds)), -1 for no age, as upstream's logarithmicRankDiff. */
function logarithmicRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

function compareMaxContainerRestarts(pi: Pod, pj: Pod): boolean | undefined {
  const [regularI, sidecarI] = maxContainerRestarts(pi);
  const [regularJ, sidecarJ] = maxContainerRestarts(pj);
  if (regularI !== regularJ) return regularI > regularJ;
  if (sidecarI !== sidecarJ) return sidecarI > sidecarJ;
  return undefined;
}

/** Highest restart count of the regular containers, and of the sidecars (restartable init containers). */
function maxContainerRestarts(pod: Pod): [number, number] {
  let regular = 0;
  for (const status of pod.status?.containerStatuses ?? []) regular = Math.max(regular, status.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const status of pod.status?.initContainerStatuses ?? []) if (sidecars.has(status.name)) sidecar = Math.max(sidecar, status.restartCount ?? 0);
  return [regular, sidecar];
}
