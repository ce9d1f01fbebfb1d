// The arithmetic of a PodDisruptionBudget's status (upstream's pkg/controller/disruption/disruption.go
// and pkg/apis/policy/helper): how many pods are expected, how many must stay healthy, how many
// are, and so how many may be disrupted now.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { getScaledValueFromIntOrPercent } from '../../api/units/intstr.js';
import { rfc3339 } from '../common/clock.js';
import { isPodReady } from '../common/pod-util.js';

/** Upstream's DeletionTimeout: an evicted pod not deleted within this is counted again. */
export const deletionTimeoutMs = 2 * 60_000;

export const disruptionAllowedCondition = 'DisruptionAllowed';
export const sufficientPodsReason = 'SufficientPods';
export const insufficientPodsReason = 'InsufficientPods';
export const syncFailedReason = 'SyncFailed';

export interface ExpectedCounts {
  expectedCount: number;
  desiredHealthy: number;
  /** Pods without a controller, when the budget needed their controllers' scale. */
  unmanagedPods: string[];
}

/** Finds the scale (and identity) of a pod's controller; undefined when it is none of the known kinds. */
export type ScaleFinder = (pod: Pod) => Promise<{ uid: string; scale: number } | undefined>;

/**
 * Upstream's getExpectedPodCount: maxUnavailable and percentage minAvailable are relative to the
 * sum of the pods' controllers' scales (percentages round up); an integer minAvailable counts pods.
 */
export async function expectedPodCount(pdb: PodDisruptionBudget, pods: readonly Pod[], findScale: ScaleFinder): Promise<ExpectedCounts> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, findScale);
    const maxUnavailable = getScaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = await expectedScale(pods, findScale);
    return { expectedCount, desiredHealthy: getScaledValueFromIntOrPercent(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/** Sum of the scales of the pods' distinct controllers; pods without a controller are listed, not counted. */
async function expectedScale(pods: readonly Pod[], findScale: ScaleFinder): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scaleByController = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const controller = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
    if (!controller) {
      unmanagedPods.push(pod.metadata?.name ?? '');
      continue;
    }
    if (scaleByController.has(controller.uid)) continue;
    const found = await findScale(pod);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
    scaleByController.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const scale of scaleByController.values()) expectedCount += scale;
  return { expectedCount, unmanagedPods };
}

/**
 * Upstream's buildDisruptedPodMap: evicted pods still within the deletion timeout stay in the
 * map; the earliest of their timeouts is when to look again. Pods past it are reported.
 */
export function buildDisruptedPodMap(pods: readonly Pod[], pdb: PodDisruptionBudget, nowMs: number, onNotDeleted: (pod: Pod) => void): { disruptedPods: Record<string, string>; recheckAtMs?: number } {
  const previous = pdb.status?.disruptedPods ?? {};
  const disruptedPods: Record<string, string> = {};
  let recheckAtMs: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const disruptedAt = previous[pod.metadata?.name ?? ''];
    if (disruptedAt === undefined) continue;
    const expectedDeletionMs = Date.parse(disruptedAt) + deletionTimeoutMs;
    if (expectedDeletionMs < nowMs) {
      onNotDeleted(pod);
    } else {
      if (recheckAtMs === undefined || expectedDeletionMs < recheckAtMs) recheckAtMs = expectedDeletionMs;
      disruptedPods[pod.metadata?.name ?? ''] = disruptedAt;
    }
  }
  return { disruptedPods, recheckAtMs };
}

/** Ready pods that are neither being deleted nor just evicted. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Record<string, string>, nowMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const disruptedAt = disruptedPods[pod.metadata?.name ?? ''];
    if (disruptedAt !== undefined && Date.parse(disruptedAt) + deletionTimeoutMs > nowMs) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** apimachinery's meta.SetStatusCondition: the transition time moves only when the status does. */
export function setStatusCondition(conditions: Condition[], wanted: Omit<Condition, 'lastTransitionTime'>, nowMs: number): Condition[] {
  const existing = conditions.find((c) => c.type === wanted.type);
  if (!existing) return [...conditions, { ...wanted, lastTransitionTime: rfc3339(nowMs) }];
  return conditions.map((c) => (c === existing ? { ...c, ...wanted, lastTransitionTime: c.status !== wanted.status ? rfc3339(nowMs) : c.lastTransitionTime } : c));
}

/** Upstream's pdbhelper.UpdateDisruptionAllowedCondition. */
export function withDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, nowMs: number): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setStatusCondition(
    (status.conditions ?? []) as Condition[],
    { type: disruptionAllowedCondition, status: allowed ? 'True' : 'False', reason: allowed ? sufficientPodsReason : insufficientPodsReason, message: '', observedGeneration: status.observedGeneration },
    nowMs,
  );
  return { ...status, conditions };
}

/** Upstream's pdbhelper.ConditionsAreUpToDate. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const condition = pdb.status?.conditions?.find((c) => c.type === disruptionAllowedCondition);
  if (!condition) return false;
  if ((pdb.status?.observedGeneration ?? 0) !== (pdb.metadata?.generation ?? 0)) return false;
  if ((pdb.status?.disruptionsAllowed ?? 0) > 0) return condition.status === 'True' && condition.reason === sufficientPodsReason;
  return condition.status === 'False' && condition.reason === insufficientPodsReason;
}

/** The status to write, or undefined when the current one already says it (upstream's updatePdbStatus). */
export function desiredStatus(
  pdb: PodDisruptionBudget,
  counts: { currentHealthy: number; desiredHealthy: number; expectedCount: number; disruptedPods: Record<string, string> },
  nowMs: number,
): PodDisruptionBudgetStatus | undefined {
  let disruptionsAllowed = counts.currentHealthy - counts.desiredHealthy;
  // A budget matching no pods yet must not allow disruptions the moment its first pods appear.
  if (counts.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  const status = pdb.status;
  const generation = pdb.metadata?.generation ?? 0;
  if (
    status &&
    status.currentHealthy === counts.currentHealthy &&
    status.desiredHealthy === counts.desiredHealthy &&
    status.expectedPods === counts.expectedCount &&
    status.disruptionsAllowed === disruptionsAllowed &&
    sameDisruptedPods(status.disruptedPods ?? {}, counts.disruptedPods) &&
    (status.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: PodDisruptionBudgetStatus = {
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    disruptionsAllowed,
    observedGeneration: generation,
    conditions: status?.conditions ?? [],
  };
  if (Object.keys(counts.disruptedPods).length > 0) next.disruptedPods = counts.disruptedPods;
  return withDisruptionAllowedCondition(next, nowMs);
}

function sameDisruptedPods(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Upstream's failSafe: no disruptions while the budget cannot be computed, and why. */
export function failSafeStatus(pdb: PodDisruptionBudget, error: Error, nowMs: number): PodDisruptionBudgetStatus {
  const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
  const conditions = setStatusCondition(
    (status.conditions ?? []) as Condition[],
    { type: disruptionAllowedCondition, status: 'False', reason: syncFailedReason, message: error.message, observedGeneration: status.observedGeneration },
    nowMs,
  );
  return { ...status, disruptionsAllowed: 0, conditions };
}
