// The storage objects the volume plugins read, and the two writes VolumeBinding makes before a
// pod is bound. Lookups are synchronous because they are answered from informer caches (the
// scheduler wiring implements this interface); writes go through the API.
import type { PersistentVolume, PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, CSINode, CSIStorageCapacity, StorageClass } from 'kubernetes-types/storage/v1.js';

export interface ClusterObjects {
  persistentVolumeClaim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  persistentVolume(name: string): PersistentVolume | undefined;
  persistentVolumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
  csiNode(nodeName: string): CSINode | undefined;
  csiDriver(name: string): CSIDriver | undefined;
  /** For drivers that opt into capacity tracking (CSIDriver spec.storageCapacity); none when absent. */
  csiStorageCapacities?(): readonly CSIStorageCapacity[];

  /**
   * Binds a PersistentVolume to a claim: writes `pv` (whose spec.claimRef is already set) back
   * with an update, and answers the stored object. The PV controller completes the binding.
   */
  updatePersistentVolume(pv: PersistentVolume): Promise<PersistentVolume>;
  /**
   * Writes `pvc` back (the volume.kubernetes.io/selected-node annotation for dynamic
   * provisioning), answering the stored object.
   */
  updatePersistentVolumeClaim(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
}

const noWriter = async (): Promise<never> => {
  throw new Error('the scheduler has no API client to bind volumes with');
};

/** No storage objects at all: pods without claims schedule; pods with claims find none. */
export const EMPTY_CLUSTER_OBJECTS: ClusterObjects = {
  persistentVolumeClaim: () => undefined,
  persistentVolume: () => undefined,
  persistentVolumes: () => [],
  storageClass: () => undefined,
  csiNode: () => undefined,
  csiDriver: () => undefined,
  csiStorageCapacities: () => [],
  updatePersistentVolume: noWriter,
  updatePersistentVolumeClaim: noWriter,
};

export interface StaticObjects {
  persistentVolumeClaims?: readonly PersistentVolumeClaim[];
  persistentVolumes?: readonly PersistentVolume[];
  storageClasses?: readonly StorageClass[];
  csiNodes?: readonly CSINode[];
  csiDrivers?: readonly CSIDriver[];
  csiStorageCapacities?: readonly CSIStorageCapacity[];
}

/**
 * ClusterObjects over fixed lists, for tests and one-shot scheduling. Writes replace the stored
 * object (bumping resourceVersion), so a later lookup sees them, as an informer would.
 */
export function staticClusterObjects(objects: StaticObjects = {}): ClusterObjects & { writes: (PersistentVolume | PersistentVolumeClaim)[] } {
  const claims = new Map((objects.persistentVolumeClaims ?? []).map((c) => [`${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`, c]));
  const volumes = new Map((objects.persistentVolumes ?? []).map((v) => [v.metadata?.name ?? '', v]));
  const byName = <T extends { metadata?: { name?: string } }>(list: readonly T[] | undefined): Map<string, T> =>
    new Map((list ?? []).map((o) => [o.metadata?.name ?? '', o]));
  const classes = byName(objects.storageClasses);
  const csiNodes = byName(objects.csiNodes);
  const csiDrivers = byName(objects.csiDrivers);
  const writes: (PersistentVolume | PersistentVolumeClaim)[] = [];
  const bump = <T extends { metadata?: { resourceVersion?: string } }>(o: T): T => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: String(Number(o.metadata?.resourceVersion ?? '0') + 1) },
  });
  return {
    writes,
    persistentVolumeClaim: (ns, name) => claims.get(`${ns}/${name}`),
    persistentVolume: (name) => volumes.get(name),
    persistentVolumes: () => [...volumes.values()],
    storageClass: (name) => classes.get(name),
    csiNode: (name) => csiNodes.get(name),
    csiDriver: (name) => csiDrivers.get(name),
    csiStorageCapacities: () => objects.csiStorageCapacities ?? [],
    async updatePersistentVolume(pv) {
      const stored = bump(pv);
      volumes.set(pv.metadata?.name ?? '', stored);
      writes.push(stored);
      return stored;
    },
    async updatePersistentVolumeClaim(pvc) {
      const stored = bump(pvc);
      claims.set(`${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`, stored);
      writes.push(stored);
      return stored;
    },
  };
}

// Helpers shared by the volume plugins, as upstream's storage helpers.

export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The class a claim asks for: the beta annotation wins over spec.storageClassName. */
export function claimStorageClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? pvc.spec?.storageClassName ?? '';
}

export function volumeStorageClass(pv: PersistentVolume): string {
  return pv.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? pv.spec?.storageClassName ?? '';
}

export interface PodClaimRef {
  volume: Volume;
  claimName: string;
  /** A generic ephemeral volume: the claim is named <pod>-<volume> and must be owned by the pod. */
  ephemeral: boolean;
}

/** The claims a pod's volumes use, in volume order. */
export function podClaims(pod: Pod): PodClaimRef[] {
  const out: PodClaimRef[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.persistentVolumeClaim) out.push({ volume, claimName: volume.persistentVolumeClaim.claimName, ephemeral: false });
    else if (volume.ephemeral) out.push({ volume, claimName: `${pod.metadata?.name ?? ''}-${volume.name}`, ephemeral: true });
  }
  return out;
}

/** An ephemeral volume's claim must be controlled by the pod, or it belongs to someone else. */
export function ephemeralClaimOwnershipError(pod: Pod, pvc: PersistentVolumeClaim): string | undefined {
  const owner = (pvc.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (owner && owner.uid === pod.metadata?.uid) return undefined;
  return `PVC ${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
}
