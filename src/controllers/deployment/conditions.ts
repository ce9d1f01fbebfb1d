// Deployment conditions and their reasons (upstream's deployment/util/deployment_util.go).
import { rfc3339 } from '../common/clock.js';
import type { ConditionStatus, DeploymentCondition, DeploymentStatus } from './types.js';

export const availableCondition = 'Available';
export const progressingCondition = 'Progressing';
export const replicaFailureCondition = 'ReplicaFailure';

/** Reasons of the Available condition. */
export const minimumReplicasAvailable = 'MinimumReplicasAvailable';
export const minimumReplicasUnavailable = 'MinimumReplicasUnavailable';
/** Reasons of the Progressing condition. */
export const newReplicaSetReason = 'NewReplicaSetCreated';
export const foundNewReplicaSetReason = 'FoundNewReplicaSet';
export const replicaSetUpdatedReason = 'ReplicaSetUpdated';
export const newReplicaSetAvailableReason = 'NewReplicaSetAvailable';
export const timedOutReason = 'ProgressDeadlineExceeded';
export const failedReplicaSetCreateReason = 'ReplicaSetCreateError';
export const pausedDeployReason = 'DeploymentPaused';
export const resumedDeployReason = 'DeploymentResumed';

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = rfc3339(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((condition) => condition.type === type);
}

/**
 * Upstream's SetDeploymentCondition: a condition with the same status and reason is left as it
 * is (message included); a changed reason with the same status keeps lastTransitionTime.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((condition) => condition.type !== type);
}
