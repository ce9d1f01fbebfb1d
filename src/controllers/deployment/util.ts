// Deployment arithmetic shared by every phase (upstream's deployment/util/deployment_util.go and
// the ReplicaSet sort orders of controller_utils.go).
import { getScaledValueFromIntOrPercent } from '../../api/units/intstr.js';
import { canonicalJson } from '../common/hash.js';
import { getCondition, newReplicaSetAvailableReason, progressingCondition, timedOutReason } from './conditions.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.js';
import { maxReplicasAnnotation } from './annotations.js';

/** The label that tells a Deployment's ReplicaSets (and their pods) apart. */
export const podTemplateHashLabel = 'pod-template-hash';

/** progressDeadlineSeconds of MaxInt32 means "no deadline", as upstream. */
const maxInt32 = 2 ** 31 - 1;

export const replicasOf = (object: { spec?: { replicas?: number } } | undefined): number => object?.spec?.replicas ?? 0;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function hasProgressDeadline(d: Deployment): boolean {
  const seconds = d.spec?.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== null && seconds !== maxInt32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const limit = d.spec?.revisionHistoryLimit;
  return limit !== undefined && limit !== null && limit !== maxInt32;
}

/**
 * Upstream's ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both
 * come to zero maxUnavailable becomes 1 (surge may be impossible under a quota).
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const rolling = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicas).unavailable, replicas);
}

// --- sums over ReplicaSets ---------------------------------------------------------------------

export const specReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((sum, rs) => sum + (rs ? replicasOf(rs) : 0), 0);
export const actualReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((sum, rs) => sum + (rs?.status?.replicas ?? 0), 0);
export const readyReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((sum, rs) => sum + (rs?.status?.readyReplicas ?? 0), 0);
export const availableReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((sum, rs) => sum + (rs?.status?.availableReplicas ?? 0), 0);

/** Upstream's FilterActiveReplicaSets: those with spec.replicas > 0. */
export function activeReplicaSets(sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return sets.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

// --- orders --------------------------------------------------------------------------------

function createdMs(rs: ReplicaSet): number {
  const ms = Date.parse(rs.metadata?.creationTimestamp ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const diff = createdMs(a) - createdMs(b);
  if (diff !== 0) return diff;
  const nameA = a.metadata?.name ?? '';
  const nameB = b.metadata?.name ?? '';
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first, ties older first (scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) !== replicasOf(b) ? replicasOf(b) - replicasOf(a) : byCreation(a, b);
}

/** ReplicaSetsBySizeNewer: larger first, ties newer first (scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) !== replicasOf(b) ? replicasOf(b) - replicasOf(a) : byCreation(b, a);
}

// --- new and old ReplicaSets ---------------------------------------------------------------

/**
 * The template as Go's semantic equality sees it: a null field is the zero value, as if absent
 * (kubectl rollout undo sends template.metadata.creationTimestamp: null).
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (child !== null && child !== undefined) out[key] = withoutNulls(child);
    return out as T;
  }
  return value;
}

/** Templates equal but for the pod-template-hash label (upstream's EqualIgnoreHash). */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (template: unknown): unknown => {
    const copy = withoutNulls((template ?? {}) as { metadata?: { labels?: Record<string, string> } });
    if (copy.metadata?.labels) {
      delete copy.metadata.labels[podTemplateHashLabel];
      if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
    }
    return copy;
  };
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** The oldest ReplicaSet whose template is the Deployment's (upstream's FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function findOldReplicaSets(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet[] {
  const newRs = findNewReplicaSet(d, sets);
  return sets.filter((rs) => rs.metadata?.uid !== newRs?.metadata?.uid);
}

/**
 * Upstream's FindActiveOrLatest: the one ReplicaSet with replicas, or the newest when none has
 * any; undefined when several have replicas (a rollout is in progress).
 */
export function findActiveOrLatest(newRs: ReplicaSet | undefined, oldSets: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRs && oldSets.length === 0) return undefined;
  const newestFirst = [...oldSets].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRs]);
  if (active.length === 0) return newRs ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs every replica of the current size, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = Number(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas']);
  return desired === replicasOf(d) && replicasOf(rs) === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** Upstream's NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newReplicaSetReplicas(d: Deployment, allSets: readonly ReplicaSet[], newRs: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const surge = getScaledValueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, replicasOf(d), true);
  const current = specReplicas(allSets);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return replicasOf(newRs);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRs));
  return replicasOf(newRs) + scaleUp;
}

// --- progress ------------------------------------------------------------------------------

export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas && (status.availableReplicas ?? 0) === replicas && (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Any sign of progress since the last status (upstream's DeploymentProgressing). */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** No progress reported for progressDeadlineSeconds (upstream's DeploymentTimedOut). */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, progressingCondition);
  if (!condition) return false;
  if (condition.reason === newReplicaSetAvailableReason) return false;
  if (condition.reason === timedOutReason) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

// --- proportional scaling ------------------------------------------------------------------

/**
 * Upstream's GetProportion: this ReplicaSet's share of the replicas being added (or removed,
 * when negative), never more than what is left to hand out.
 */
export function getProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentMax = replicasOf(d) + maxSurge(d);
  let maxBefore = Number(rs.metadata?.annotations?.[maxReplicasAnnotation]);
  if (!Number.isInteger(maxBefore) || maxBefore === 0) {
    // No annotation (edited away, or an adopted ReplicaSet): fall back to the current size.
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  return roundHalfAwayFromZero((replicasOf(rs) * deploymentMax) / maxBefore) - replicasOf(rs);
}

/** Go's math.Round. */
export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}
