// Builders for the storage objects the volume plugin tests use; only the fields they read.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { CSINode, StorageClass } from 'kubernetes-types/storage/v1.js';
import { makePod } from '../testing.js';

export interface ClaimOptions {
  namespace?: string;
  storageClassName?: string;
  storage?: string;
  volumeName?: string;
  /** Fully bound: volumeName plus the PV controller's bind-completed annotation. */
  bound?: boolean;
  accessModes?: string[];
  annotations?: Record<string, string>;
  phase?: string;
}

export function makeClaim(name: string, o: ClaimOptions = {}): PersistentVolumeClaim {
  const annotations = { ...o.annotations, ...(o.bound ? { 'pv.kubernetes.io/bind-completed': 'yes' } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-pvc-${name}`, resourceVersion: '1', annotations },
    spec: {
      storageClassName: o.storageClassName,
      volumeName: o.volumeName,
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '1Gi' } },
    },
    status: { phase: o.phase ?? (o.bound ? 'Bound' : 'Pending') },
  };
}

export interface VolumeOptions {
  storageClassName?: string;
  storage?: string;
  /** Only nodes whose label `key` is one of `values` may use the volume. */
  nodeAffinity?: { key: string; values: string[] };
  labels?: Record<string, string>;
  claim?: PersistentVolumeClaim;
  phase?: string;
  accessModes?: string[];
  csi?: { driver: string; volumeHandle: string };
}

export function makeVolume(name: string, o: VolumeOptions = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: o.labels, resourceVersion: '1' },
    spec: {
      storageClassName: o.storageClassName,
      capacity: { storage: o.storage ?? '1Gi' },
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      claimRef: o.claim
        ? { kind: 'PersistentVolumeClaim', namespace: o.claim.metadata?.namespace, name: o.claim.metadata?.name, uid: o.claim.metadata?.uid }
        : undefined,
      nodeAffinity: o.nodeAffinity
        ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: o.nodeAffinity.key, operator: 'In', values: o.nodeAffinity.values }] }] } }
        : undefined,
      csi: o.csi,
      hostPath: o.csi ? undefined : { path: `/data/${name}` },
    },
    status: { phase: o.phase ?? (o.claim ? 'Bound' : 'Available') },
  };
}

export function makeStorageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'example.com/csi'): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: mode };
}

export function makeCSINode(name: string, drivers: Record<string, number>): CSINode {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    metadata: { name },
    spec: { drivers: Object.entries(drivers).map(([driver, count]) => ({ name: driver, nodeID: name, allocatable: { count } })) },
  };
}

/** A pod mounting the named claims. */
export function podWithClaims(name: string, claims: string[], node?: string): Pod {
  return makePod(name, { node, spec: { volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) } });
}
