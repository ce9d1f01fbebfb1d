// The RollingUpdate strategy (upstream's rolling.go): grow the new ReplicaSet within maxSurge,
// shrink old ones within maxUnavailable, unhealthy old replicas first.
import { isNotFound } from '../../client/index.js';
import { revisionOf } from './annotations.js';
import type { DeploymentSyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { syncRolloutStatus } from './progress.js';
import { scaleReplicaSetAndRecordEvent } from './scale.js';
import type { Deployment, ReplicaSet } from './types.js';
import { activeReplicaSets, availableReplicas, byCreation, deploymentComplete, hasRevisionHistoryLimit, maxUnavailable, newReplicaSetReplicas, replicasOf, specReplicas } from './util.js';

export async function rolloutRolling(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[]): Promise<void> {
  const { newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(ctx, d, sets, true);
  const all = [...oldSets, newRs!];
  if (await reconcileNewReplicaSet(ctx, all, newRs!, d)) return syncRolloutStatus(ctx, all, newRs, d);
  if (await reconcileOldReplicaSets(ctx, all, activeReplicaSets(oldSets), newRs!, d)) return syncRolloutStatus(ctx, all, newRs, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldSets, d);
  return syncRolloutStatus(ctx, all, newRs, d);
}

async function reconcileNewReplicaSet(ctx: DeploymentSyncContext, all: ReplicaSet[], newRs: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRs) === replicasOf(d)) return false;
  if (replicasOf(newRs) > replicasOf(d)) return (await scaleReplicaSetAndRecordEvent(ctx, newRs, replicasOf(d), d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(ctx, newRs, newReplicaSetReplicas(d, all, newRs), d)).scaled;
}

async function reconcileOldReplicaSets(ctx: DeploymentSyncContext, all: ReplicaSet[], oldSets: ReplicaSet[], newRs: ReplicaSet, d: Deployment): Promise<boolean> {
  if (specReplicas(oldSets) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRs) - (newRs.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy old replicas go first: they would otherwise block the rollout until it times out.
  const { sets: cleaned, scaledDown: cleanedUp } = await cleanupUnhealthyReplicas(ctx, oldSets, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned, newRs], cleaned, d);
  return cleanedUp + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(ctx: DeploymentSyncContext, oldSets: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ sets: ReplicaSet[]; scaledDown: number }> {
  const sets = [...oldSets].sort(byCreation);
  let total = 0;
  for (const [index, rs] of sets.entries()) {
    if (total >= maxCleanup) break;
    const replicas = replicasOf(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - total, replicas - available);
    const { rs: updated } = await scaleReplicaSetAndRecordEvent(ctx, rs, replicas - count, d);
    total += count;
    sets[index] = updated;
  }
  return { sets, scaledDown: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(ctx: DeploymentSyncContext, all: ReplicaSet[], oldSets: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas(all);
  if (available <= minAvailable) return 0;
  const totalToScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldSets].sort(byCreation)) {
    if (total >= totalToScaleDown) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), totalToScaleDown - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}

/**
 * Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit (upstream's cleanupDeployment).
 * Ones with replicas, being deleted, or whose status lags their spec are kept.
 */
export async function cleanupDeployment(ctx: DeploymentSyncContext, oldSets: readonly ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldSets.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.replicaSetClient.delete(rs.metadata?.namespace, rs.metadata?.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
