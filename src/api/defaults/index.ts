// Upstream's SetDefaults_* for every built-in kind, keyed by GroupKind ("Pod",
// "Deployment.apps", ...). Each defaulter receives the storage-version object and fills unset
// fields in place; it runs on both create and update, so it must be idempotent.
// Kinds upstream never defaults (ConfigMap, ServiceAccount, Lease, Ingress, PDB, CSR, ...)
// simply have no entry.
import type { KubeObject } from '../object.js';
import { appsDefaulters } from './apps.js';
import { autoscalingDefaulters } from './autoscaling.js';
import { batchDefaulters, setJobLabelDefaults } from './batch.js';
import { controlPlaneDefaulters } from './control-plane.js';
import { coreDefaulters, setReplicationControllerSelectorDefaults } from './core.js';
import { networkDefaulters } from './network.js';
import { rbacDefaulters } from './rbac.js';
import { storageDefaulters } from './storage.js';

export type Defaulter = (obj: KubeObject) => void;

export const defaulters: Record<string, Defaulter> = {
  ...coreDefaulters,
  ...appsDefaulters,
  ...batchDefaulters,
  ...autoscalingDefaulters,
  ...networkDefaulters,
  ...rbacDefaulters,
  ...storageDefaulters,
  ...controlPlaneDefaulters,
};

/**
 * The label/selector derivations upstream performs from a pod template's labels. They are
 * part of the defaulters above; they are listed separately for callers that need only them.
 * The Job's generated controller-uid selector needs metadata.uid and so lives in
 * prepareHooks['Job.batch'].prepareForCreate instead.
 */
export const templateLabelSelectorDefaults: Record<string, Defaulter> = {
  ReplicationController: setReplicationControllerSelectorDefaults,
  'Job.batch': setJobLabelDefaults,
};

/** Applies the defaulter registered for groupKind, if any. */
export function applyDefaults(groupKind: string, obj: KubeObject): void {
  defaulters[groupKind]?.(obj);
}

export { computePodQOSClass, prepareHooks } from './prepare.js';
export type { PrepareHooks } from './prepare.js';
