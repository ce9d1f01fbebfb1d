// A ReplicaSet's status from its pods (upstream's replica_set_utils.go calculateStatus): counts of
// pods, fully labeled, ready and available ones, and the ReplicaFailure condition while creating
// or deleting pods fails.
import { labelSelectorFromSet } from '../../api/selectors/labels.js';
import { rfc3339 } from '../common/clock.js';
import { isPodAvailable, isPodReady } from '../common/pod-util.js';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from './types.js';

export const replicaFailureCondition = 'ReplicaFailure';

export function calculateStatus(rs: ReplicaSet, filteredPods: readonly Pod[], manageReplicasError: unknown, nowMs: number): ReplicaSetStatus {
  const templateLabels = labelSelectorFromSet(rs.spec?.template?.metadata?.labels);
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    if (templateLabels.matches(pod.metadata?.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((condition) => condition.type === replicaFailureCondition);
  if (manageReplicasError !== undefined && !failure) {
    const diff = filteredPods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: replicaFailureCondition, status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: errorMessage(manageReplicasError) });
  } else if (manageReplicasError === undefined && failure) {
    conditions = conditions.filter((condition) => condition.type !== replicaFailureCondition);
  }
  return withoutZeros({
    replicas: filteredPods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.status?.observedGeneration,
    conditions,
  });
}

/** Whether a status write is needed (upstream compares the counts, the generation and the conditions). */
export function statusUnchanged(rs: ReplicaSet, status: ReplicaSetStatus): boolean {
  const old = rs.status;
  return (
    (old?.replicas ?? 0) === status.replicas &&
    (old?.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
    (old?.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
    (old?.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
    (rs.metadata?.generation ?? 0) === (old?.observedGeneration ?? 0) &&
    JSON.stringify(old?.conditions ?? []) === JSON.stringify(status.conditions ?? [])
  );
}

/** Upstream's JSON omits zero counts and empty lists (omitempty). */
export function withoutZeros(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: status.replicas };
  if (status.fullyLabeledReplicas) out.fullyLabeledReplicas = status.fullyLabeledReplicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.availableReplicas) out.availableReplicas = status.availableReplicas;
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.conditions?.length) out.conditions = status.conditions as ReplicaSetCondition[];
  return out;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
