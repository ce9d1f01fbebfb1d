// The sync paths that are not a rollout (upstream's sync.go): a paused or resized Deployment is
// only scaled; pausing and resuming are recorded in the Progressing condition.
import { getCondition, newCondition, pausedDeployReason, progressingCondition, resumedDeployReason, setCondition, timedOutReason } from './conditions.js';
import { updateDeploymentStatus, type DeploymentSyncContext } from './context.js';
import { desiredReplicasAnnotation } from './annotations.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { cleanupDeployment } from './rolling.js';
import { scale } from './scale.js';
import { syncDeploymentStatus } from './status.js';
import type { Deployment, ReplicaSet } from './types.js';
import { activeReplicaSets, hasProgressDeadline, replicasOf } from './util.js';

export async function sync(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[]): Promise<void> {
  const { newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(ctx, d, sets, false);
  await scale(ctx, d, newRs, oldSets);
  if (d.spec?.paused) await cleanupDeployment(ctx, oldSets, d);
  await syncDeploymentStatus(ctx, [...oldSets, newRs], newRs, d);
}

/**
 * A resize: some active ReplicaSet was sized for a different replica count. Also returns the
 * ReplicaSets with the new one as just written (its annotations may have been synced), so the
 * rollout that follows does not write it again from a stale copy.
 */
export async function isScalingEvent(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[]): Promise<{ scaling: boolean; sets: ReplicaSet[] }> {
  const { newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(ctx, d, sets, false);
  const current = sets.map((rs) => (newRs && rs.metadata?.uid === newRs.metadata?.uid ? newRs : rs));
  for (const rs of activeReplicaSets([...oldSets, newRs])) {
    const text = rs.metadata?.annotations?.[desiredReplicasAnnotation];
    if (text === undefined || !/^\d+$/.test(text)) continue;
    if (Number(text) !== replicasOf(d)) return { scaling: true, sets: current };
  }
  return { scaling: false, sets: current };
}

/**
 * Pausing sets Progressing=Unknown DeploymentPaused and resuming DeploymentResumed, so the
 * deadline counts from the resume rather than timing out on time spent paused.
 */
export async function checkPausedConditions(ctx: DeploymentSyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const condition = getCondition(d.status, progressingCondition);
  // A reported lack of progress is not overwritten by a pause.
  if (condition?.reason === timedOutReason) return;
  const pausedConditionExists = condition?.reason === pausedDeployReason;
  const now = ctx.clock.now();
  d.status ??= {};
  if (d.spec?.paused && !pausedConditionExists) {
    setCondition(d.status, newCondition(progressingCondition, 'Unknown', pausedDeployReason, 'Deployment is paused', now));
  } else if (!d.spec?.paused && pausedConditionExists) {
    setCondition(d.status, newCondition(progressingCondition, 'Unknown', resumedDeployReason, 'Deployment is resumed', now));
  } else {
    return;
  }
  await updateDeploymentStatus(ctx, d);
}
