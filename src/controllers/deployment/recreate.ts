// The Recreate strategy (upstream's recreate.go): scale every old ReplicaSet to zero, wait until
// none of their pods runs, then create and scale up the new one.
import type { DeploymentSyncContext } from './context.js';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment } from './rolling.js';
import { scaleReplicaSetAndRecordEvent } from './scale.js';
import type { Deployment, Pod, ReplicaSet } from './types.js';
import { activeReplicaSets, actualReplicas, deploymentComplete, replicasOf } from './util.js';

/** Pods by the uid of the ReplicaSet controlling them. */
export type PodsByReplicaSet = Map<string, Pod[]>;

export async function rolloutRecreate(ctx: DeploymentSyncContext, d: Deployment, sets: readonly ReplicaSet[], podMap: PodsByReplicaSet): Promise<void> {
  // The new ReplicaSet is not created yet: nothing may scale up before the old pods are gone.
  let { newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(ctx, d, sets, false);
  let all = [...oldSets, newRs];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldSets)) {
    if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(ctx, all, newRs, d);
  if (oldPodsRunning(newRs, oldSets, podMap)) return syncRolloutStatus(ctx, all, newRs, d);
  if (!newRs) {
    ({ newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(ctx, d, sets, true));
    all = [...oldSets, newRs];
  }
  await scaleReplicaSetAndRecordEvent(ctx, newRs!, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldSets, d);
  return syncRolloutStatus(ctx, all, newRs, d);
}

/** Whether any pod of an old ReplicaSet may still run (terminal pods do not count). */
export function oldPodsRunning(newRs: ReplicaSet | undefined, oldSets: readonly ReplicaSet[], podMap: PodsByReplicaSet): boolean {
  if (actualReplicas(oldSets) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRs && newRs.metadata?.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}
