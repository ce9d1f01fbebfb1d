// The Progressing condition and the progress deadline (upstream's progress.go): a rollout that
// shows no progress for progressDeadlineSeconds becomes Progressing=False ProgressDeadlineExceeded.
import { getCondition, newCondition, newReplicaSetAvailableReason, progressingCondition, removeCondition, replicaFailureCondition, replicaSetUpdatedReason, setCondition, timedOutReason } from './conditions.js';
import { updateDeploymentStatus, type DeploymentSyncContext } from './context.js';
import { calculateStatus, normalizeStatus, sameStatus } from './status.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, hasProgressDeadline } from './util.js';

export async function syncRolloutStatus(ctx: DeploymentSyncContext, sets: readonly (ReplicaSet | undefined)[], newRs: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = ctx.clock.now();
  const status = calculateStatus(sets, newRs, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, progressingCondition);

  const current = getCondition(d.status, progressingCondition);
  const isCompleteDeployment = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === newReplicaSetAvailableReason;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRs ? `ReplicaSet "${newRs.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(progressingCondition, 'True', newReplicaSetAvailableReason, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const condition = newCondition(progressingCondition, 'True', replicaSetUpdatedReason, `${subject} is progressing.`, now);
      // Progress moves lastUpdateTime even when the reason stays; that is what the deadline measures from.
      if (current) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, progressingCondition);
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition(progressingCondition, 'False', timedOutReason, `${subject} has timed out progressing.`, now));
    }
  }

  const failure = replicaFailure(sets, newRs);
  if (failure) setCondition(status, failure);
  else removeCondition(status, replicaFailureCondition);

  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(ctx, d, status);
    return;
  }
  d.status = normalizeStatus(status);
  await updateDeploymentStatus(ctx, d);
}

/** A ReplicaSet's ReplicaFailure condition (the new one's first) as the Deployment's. */
function replicaFailure(sets: readonly (ReplicaSet | undefined)[], newRs: ReplicaSet | undefined): DeploymentCondition | undefined {
  const ordered = [newRs, ...sets.filter((rs) => rs !== newRs)];
  for (const rs of ordered) {
    const condition = rs?.status?.conditions?.find((c) => c.type === replicaFailureCondition);
    if (condition) {
      return { type: replicaFailureCondition, status: condition.status, lastUpdateTime: condition.lastTransitionTime, lastTransitionTime: condition.lastTransitionTime, reason: condition.reason, message: condition.message };
    }
  }
  return undefined;
}

/**
 * A rollout showing no progress is looked at again right after its deadline, so it times out on
 * time without depending on other events.
 */
export function requeueStuckDeployment(ctx: DeploymentSyncContext, d: Deployment, status: DeploymentStatus): number {
  const current = getCondition(d.status, progressingCondition);
  if (!hasProgressDeadline(d) || !current) return -1;
  if (deploymentComplete(d, status) || current.reason === timedOutReason) return -1;
  const lastUpdate = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(lastUpdate)) return -1;
  const afterMs = lastUpdate + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - ctx.clock.now();
  if (afterMs < 1000) {
    ctx.enqueueRateLimited(d);
    return 0;
  }
  ctx.enqueueAfter(d, afterMs + 1000);
  return afterMs;
}
