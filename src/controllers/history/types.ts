// The shapes the StatefulSet and DaemonSet controllers read and write. kubernetes-types declares
// every field readonly; a sync works on structuredClone copies, typed with DeepMutable.
import type { DaemonSetSpec, DaemonSetStatus, StatefulSetSpec, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node as NodeType, PersistentVolumeClaim as ClaimType, Pod as PodType } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';

export type DeepMutable<T> = T extends ReadonlyArray<infer U> ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

export type Pod = KubeObject & DeepMutable<Omit<PodType, 'metadata' | 'apiVersion' | 'kind'>>;
export type Node = KubeObject & DeepMutable<Omit<NodeType, 'metadata' | 'apiVersion' | 'kind'>>;
export type PersistentVolumeClaim = KubeObject & DeepMutable<Omit<ClaimType, 'metadata' | 'apiVersion' | 'kind'>>;

export interface StatefulSet extends KubeObject {
  spec?: DeepMutable<StatefulSetSpec>;
  status?: DeepMutable<StatefulSetStatus>;
}

export interface DaemonSet extends KubeObject {
  spec?: DeepMutable<DaemonSetSpec>;
  status?: DeepMutable<DaemonSetStatus>;
}

/** apps/v1 ControllerRevision: an immutable snapshot (data) with a mutable revision number. */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}
