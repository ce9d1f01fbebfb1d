// Every controller the controller manager runs, by upstream's name (kube-controller-manager
// --controllers). Add a controller here with its descriptor; manager.ts needs no change.
import type { ControllerDescriptor } from './context.js';
import { endpointsControllerDescriptor } from './endpoint/descriptor.js';
import { endpointSliceControllerDescriptor } from './endpointslice/descriptor.js';
import { endpointSliceMirroringControllerDescriptor } from './endpointslicemirroring/descriptor.js';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle/descriptor.js';
import { taintEvictionControllerDescriptor } from './tainteviction/descriptor.js';
import { deploymentControllerDescriptor } from './deployment/descriptor.js';
import { disruptionControllerDescriptor } from './disruption/descriptor.js';
import { daemonSetControllerDescriptor } from './daemonset/descriptor.js';
import { garbageCollectorControllerDescriptor } from './garbagecollector/descriptor.js';
import { podGarbageCollectorDescriptor } from './podgc/descriptor.js';
import { jobControllerDescriptor } from './job/descriptor.js';
import { cronJobControllerDescriptor } from './cronjob/descriptor.js';
import { ttlAfterFinishedControllerDescriptor } from './ttlafterfinished/descriptor.js';
import { namespaceControllerDescriptor } from './namespace/descriptor.js';
import { replicaSetControllerDescriptor } from './replicaset/descriptor.js';
import { replicationControllerDescriptor } from './replicationcontroller/descriptor.js';
import { rootCaPublisherDescriptor } from './root-ca/descriptor.js';
import { serviceAccountsControllerDescriptor } from './serviceaccount/descriptor.js';
import { statefulSetControllerDescriptor } from './statefulset/descriptor.js';
import { csrSigningControllerDescriptor } from './certificates/signer/descriptor.js';
import { csrApprovingControllerDescriptor, kubeletServingApproverDescriptor } from './certificates/approver/descriptor.js';
import { csrCleanerControllerDescriptor } from './certificates/cleaner/descriptor.js';
import { persistentVolumeBinderDescriptor, pvcProtectionDescriptor, pvProtectionDescriptor } from './persistentvolume/descriptor.js';

export const allControllers: readonly ControllerDescriptor[] = [
  namespaceControllerDescriptor,
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
  deploymentControllerDescriptor,
  serviceAccountsControllerDescriptor,
  rootCaPublisherDescriptor,
  endpointsControllerDescriptor,
  endpointSliceControllerDescriptor,
  endpointSliceMirroringControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  taintEvictionControllerDescriptor,
  garbageCollectorControllerDescriptor,
  disruptionControllerDescriptor,
  podGarbageCollectorDescriptor,
  statefulSetControllerDescriptor,
  daemonSetControllerDescriptor,
  jobControllerDescriptor,
  cronJobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  persistentVolumeBinderDescriptor,
  pvcProtectionDescriptor,
  pvProtectionDescriptor,
  csrSigningControllerDescriptor,
  csrApprovingControllerDescriptor,
  kubeletServingApproverDescriptor,
  csrCleanerControllerDescriptor,
];
