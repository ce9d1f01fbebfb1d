// Resizing ReplicaSets, and proportional scaling when a Deployment is resized mid-rollout
// (upstream's sync.go scale/scaleReplicaSet).
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import type { DeploymentSyncContext } from './context.js';
import type { Deployment, ReplicaSet } from './types.js';
import { activeReplicaSets, bySizeNewer, bySizeOlder, findActiveOrLatest, getProportion, isRollingUpdate, isSaturated, maxSurge, replicasOf, specReplicas } from './util.js';

export interface ScaleResult {
  scaled: boolean;
  rs: ReplicaSet;
}

export async function scaleReplicaSetAndRecordEvent(ctx: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<ScaleResult> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
}

/** Writes the size and the replica annotations; the event only when the size changed. */
export async function scaleReplicaSet(ctx: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment, operation: 'up' | 'down' | ''): Promise<ScaleResult> {
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  const desired = replicasOf(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const oldScale = replicasOf(rs);
  const copy = structuredClone(rs);
  copy.spec = { ...copy.spec, replicas: newScale };
  setReplicasAnnotations(copy, desired, max);
  const updated = (await ctx.replicaSetClient.update(copy.metadata?.namespace, copy)) as ReplicaSet;
  if (!sizeNeedsUpdate) return { scaled: false, rs: updated };
  const verb = operation === 'up' ? 'up' : 'down';
  ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${updated.metadata?.name} from ${oldScale} to ${newScale}`);
  return { scaled: true, rs: updated };
}

/**
 * A resize of the Deployment: one active ReplicaSet takes the new size; a saturated new one
 * takes it all; otherwise (mid-rollout) the change is shared in proportion to the sizes.
 */
export async function scale(ctx: DeploymentSyncContext, d: Deployment, newRs: ReplicaSet | undefined, oldSets: ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRs, oldSets);
  if (activeOrLatest) {
    if (replicasOf(activeOrLatest) === replicasOf(d)) return;
    await scaleReplicaSetAndRecordEvent(ctx, activeOrLatest, replicasOf(d), d);
    return;
  }
  if (isSaturated(d, newRs)) {
    for (const old of activeReplicaSets(oldSets)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const sets = activeReplicaSets([...oldSets, newRs]);
  const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - specReplicas(sets);
  let operation: 'up' | 'down' | '' = '';
  // Ties: scaling up grows newer ReplicaSets first, scaling down shrinks older ones first.
  if (toAdd > 0) {
    sets.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    sets.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of sets) {
    if (toAdd === 0) {
      sizes.set(rs, replicasOf(rs));
      continue;
    }
    const proportion = getProportion(rs, d, toAdd, added);
    sizes.set(rs, replicasOf(rs) + proportion);
    added += proportion;
  }
  for (const [index, rs] of sets.entries()) {
    let size = sizes.get(rs)!;
    // Rounding leftovers go to the largest ReplicaSet.
    if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await scaleReplicaSet(ctx, rs, size, d, operation);
  }
}
