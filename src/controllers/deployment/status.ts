// A Deployment's status from its ReplicaSets (upstream's sync.go calculateStatus and
// syncDeploymentStatus), with the Available condition.
import { availableCondition, minimumReplicasAvailable, minimumReplicasUnavailable, newCondition, setCondition } from './conditions.js';
import { updateDeploymentStatus, type DeploymentSyncContext } from './context.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.js';
import { actualReplicas, availableReplicas, maxUnavailable, readyReplicas, replicasOf, specReplicas } from './util.js';

export function calculateStatus(sets: readonly (ReplicaSet | undefined)[], newRs: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicas(sets);
  const unavailable = Math.max(0, specReplicas(sets) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: actualReplicas(sets),
    updatedReplicas: actualReplicas([newRs]),
    readyReplicas: readyReplicas(sets),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: (d.status?.conditions ?? []).map((condition) => ({ ...condition })),
    collisionCount: d.status?.collisionCount,
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(availableCondition, 'True', minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition(availableCondition, 'False', minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** Upstream's JSON omits zero counts, empty lists and a nil collisionCount. */
export function normalizeStatus(status: DeploymentStatus | undefined): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const key of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (status?.[key]) out[key] = status[key];
  }
  if (status?.conditions?.length) out.conditions = status.conditions;
  if (status?.collisionCount !== undefined && status.collisionCount !== null) out.collisionCount = status.collisionCount;
  return out;
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return JSON.stringify(normalizeStatus(a)) === JSON.stringify(normalizeStatus(b));
}

/** Writes status when it changed. */
export async function syncDeploymentStatus(ctx: DeploymentSyncContext, sets: readonly (ReplicaSet | undefined)[], newRs: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(sets, newRs, d, ctx.clock.now());
  if (sameStatus(d.status, status)) return;
  d.status = normalizeStatus(status);
  await updateDeploymentStatus(ctx, d);
}
