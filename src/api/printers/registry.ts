// Kind -> printer lookup, keyed by API group and kind (all versions of a kind share a printer,
// as they do upstream where printing happens on the internal type).
import { groupKind } from '../object.js';
import { validatingAdmissionPolicyBindingPrinter, validatingAdmissionPolicyPrinter, webhookConfigurationPrinter } from './admission.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  clusterRoleBindingPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
  runtimeClassPrinter,
} from './cluster.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  namespacePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core.js';
import { defaultPrinter } from './default.js';
import { eventPrinter, eventsV1Printer } from './event.js';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.js';
import { endpointSlicePrinter, ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { endpointsPrinter, servicePrinter } from './service.js';
import {
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.js';
import type { TablePrinter } from './types.js';

// Kinds listed with `defaultPrinter` have no printer upstream either; they are named here
// so the table documents that the omission is deliberate.
const printers: ReadonlyMap<string, TablePrinter> = new Map<string, TablePrinter>([
  // core/v1
  ['Pod', podPrinter],
  ['PodTemplate', podTemplatePrinter],
  ['ReplicationController', replicationControllerPrinter],
  ['Service', servicePrinter],
  ['Endpoints', endpointsPrinter],
  ['Node', nodePrinter],
  ['Namespace', namespacePrinter],
  ['Event', eventPrinter],
  ['Secret', secretPrinter],
  ['ConfigMap', configMapPrinter],
  ['ServiceAccount', serviceAccountPrinter],
  ['PersistentVolume', persistentVolumePrinter],
  ['PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['LimitRange', defaultPrinter],
  ['ResourceQuota', resourceQuotaPrinter],
  ['ComponentStatus', componentStatusPrinter],
  // apps
  ['Deployment.apps', deploymentPrinter],
  ['ReplicaSet.apps', replicaSetPrinter],
  ['StatefulSet.apps', statefulSetPrinter],
  ['DaemonSet.apps', daemonSetPrinter],
  ['ControllerRevision.apps', controllerRevisionPrinter],
  // batch, autoscaling, policy
  ['Job.batch', jobPrinter],
  ['CronJob.batch', cronJobPrinter],
  ['HorizontalPodAutoscaler.autoscaling', horizontalPodAutoscalerPrinter],
  ['PodDisruptionBudget.policy', podDisruptionBudgetPrinter],
  // rbac
  ['Role.rbac.authorization.k8s.io', defaultPrinter],
  ['ClusterRole.rbac.authorization.k8s.io', defaultPrinter],
  ['RoleBinding.rbac.authorization.k8s.io', roleBindingPrinter],
  ['ClusterRoleBinding.rbac.authorization.k8s.io', clusterRoleBindingPrinter],
  // networking / discovery
  ['Ingress.networking.k8s.io', ingressPrinter],
  ['IngressClass.networking.k8s.io', ingressClassPrinter],
  ['NetworkPolicy.networking.k8s.io', networkPolicyPrinter],
  ['EndpointSlice.discovery.k8s.io', endpointSlicePrinter],
  // storage
  ['StorageClass.storage.k8s.io', storageClassPrinter],
  ['CSIDriver.storage.k8s.io', csiDriverPrinter],
  ['CSINode.storage.k8s.io', csiNodePrinter],
  ['VolumeAttachment.storage.k8s.io', volumeAttachmentPrinter],
  ['CSIStorageCapacity.storage.k8s.io', csiStorageCapacityPrinter],
  // assorted cluster-level groups
  ['Lease.coordination.k8s.io', leasePrinter],
  ['Event.events.k8s.io', eventsV1Printer],
  ['PriorityClass.scheduling.k8s.io', priorityClassPrinter],
  ['RuntimeClass.node.k8s.io', runtimeClassPrinter],
  ['CertificateSigningRequest.certificates.k8s.io', certificateSigningRequestPrinter],
  ['MutatingWebhookConfiguration.admissionregistration.k8s.io', webhookConfigurationPrinter],
  ['ValidatingWebhookConfiguration.admissionregistration.k8s.io', webhookConfigurationPrinter],
  ['ValidatingAdmissionPolicy.admissionregistration.k8s.io', validatingAdmissionPolicyPrinter],
  ['ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io', validatingAdmissionPolicyBindingPrinter],
  ['CustomResourceDefinition.apiextensions.k8s.io', defaultPrinter],
  ['APIService.apiregistration.k8s.io', apiServicePrinter],
  ['FlowSchema.flowcontrol.apiserver.k8s.io', flowSchemaPrinter],
  ['PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io', priorityLevelConfigurationPrinter],
]);

/** The printer for a kind of the given API group ("" for core); NAME / CREATED AT for unknown kinds. */
export function printerFor(group: string, kind: string): TablePrinter {
  return printers.get(groupKind(group, kind)) ?? defaultPrinter;
}

/** Whether the kind has a dedicated printer (false means the default NAME / CREATED AT table). */
export function hasDedicatedPrinter(group: string, kind: string): boolean {
  const printer = printers.get(groupKind(group, kind));
  return printer !== undefined && printer !== defaultPrinter;
}
