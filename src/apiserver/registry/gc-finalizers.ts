// Which garbage-collection finalizers a delete leaves on an object (upstream's
// deletionFinalizersForGarbageCollection, staging/.../registry/generic/registry/store.go): "orphan"
// makes the garbage collector strip the object's dependents of their owner reference before the
// object goes; "foregroundDeletion" makes it delete the dependents first. An explicit
// propagationPolicy wins, then a finalizer already on the object, then the kind's default.
export const orphanFinalizer = 'orphan';
export const foregroundDeletionFinalizer = 'foregroundDeletion';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';
/** Upstream's rest.GarbageCollectionPolicy, minus Unsupported (no k8ts kind opts out). */
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents';

/**
 * The policy when a delete names none. core/v1 ReplicationControllers and batch/v1 Jobs orphan
 * their pods, for backwards compatibility, as upstream; everything else deletes dependents
 * (in the background: no finalizer).
 */
export function defaultGarbageCollectionPolicy(apiVersion: string, kind: string): GarbageCollectionPolicy {
  if (apiVersion === 'v1' && kind === 'ReplicationController') return 'OrphanDependents';
  if (apiVersion === 'batch/v1' && kind === 'Job') return 'OrphanDependents';
  return 'DeleteDependents';
}

function shouldOrphanDependents(finalizers: readonly string[], policy: PropagationPolicy | undefined, defaultPolicy: GarbageCollectionPolicy): boolean {
  if (policy) return policy === 'Orphan';
  for (const finalizer of finalizers) {
    if (finalizer === orphanFinalizer) return true;
    if (finalizer === foregroundDeletionFinalizer) return false;
  }
  return defaultPolicy === 'OrphanDependents';
}

function shouldDeleteDependents(finalizers: readonly string[], policy: PropagationPolicy | undefined): boolean {
  if (policy) return policy === 'Foreground';
  for (const finalizer of finalizers) {
    if (finalizer === foregroundDeletionFinalizer) return true;
    if (finalizer === orphanFinalizer) return false;
  }
  return false;
}

/** The object's finalizers after a delete with this policy (the same array when nothing changes). */
export function deletionFinalizers(existing: readonly string[], policy: PropagationPolicy | undefined, defaultPolicy: GarbageCollectionPolicy = 'DeleteDependents'): string[] {
  const orphan = shouldOrphanDependents(existing, policy, defaultPolicy);
  const foreground = shouldDeleteDependents(existing, policy);
  // Both are taken off first, then put back as the policy wants (as upstream).
  const next = existing.filter((f) => f !== orphanFinalizer && f !== foregroundDeletionFinalizer);
  if (orphan) next.push(orphanFinalizer);
  if (foreground) next.push(foregroundDeletionFinalizer);
  const same = next.length === existing.length && next.every((f) => existing.includes(f));
  return same ? [...existing] : next;
}
