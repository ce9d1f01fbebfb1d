// StatefulSet status counting (upstream's computeReplicaStatus / updateStatus / completeRollingUpdate).
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import { isPodAvailable, isPodReady } from '../common/pod-util.js';
import type { DeepMutable, Pod, StatefulSet } from '../history/types.js';
import { isCreated, isTerminating, podRevision } from './identity.js';

export type Status = DeepMutable<StatefulSetStatus>;

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod as never);
}

export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return isPodAvailable(pod as never, minReadySeconds, nowMs);
}

export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** Recounts replicas, ready, available, current and updated over the given pod lists. */
export function countReplicas(status: Status, minReadySeconds: number, nowMs: number, currentRevision: string, updateRevision: string, ...lists: readonly Pod[][]): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const pod of lists.flat()) {
    if (isCreated(pod)) status.replicas++;
    if (isRunningAndReady(pod)) {
      status.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) status.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === currentRevision) status.currentReplicas++;
      if (revision === updateRevision) status.updatedReplicas++;
    }
  }
}

/** Once every replica is updated and ready, the update revision becomes the current one. */
export function completeRollingUpdate(set: StatefulSet, status: Status): void {
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Whether status differs from what the set already reports (upstream's inconsistentStatus). */
export function inconsistentStatus(set: StatefulSet, status: Status): boolean {
  const old: Partial<Status> = set.status ?? {};
  return (
    (status.observedGeneration ?? 0) > (old.observedGeneration ?? 0) ||
    status.replicas !== (old.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (old.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (old.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) ||
    (status.availableReplicas ?? 0) !== (old.availableReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (old.currentRevision ?? '') ||
    (status.updateRevision ?? '') !== (old.updateRevision ?? '') ||
    (status.collisionCount ?? 0) !== (old.collisionCount ?? 0)
  );
}
