// The shapes the replica controllers read and write. kubernetes-types declares every field
// readonly; these are the mutable copies a sync builds after structuredClone.
import type { Pod as CorePod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorSpec } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';

export type Pod = KubeObject & CorePod;

export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** A ReplicaSet (selector a LabelSelector) or a ReplicationController (selector a map). */
export interface ReplicaSet extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelectorSpec | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}
