// Upstream's +listType / +listMapKey / +structType / +mapType tags (k8s.io/api v1.32) for the
// types apply meets most. The OpenAPI we generate lacks x-kubernetes-list-type, so without this
// table lists would fall back to their patch tags, which differ where upstream keys a list by
// more than its merge key (ports by port and protocol) or declares a tagged list atomic.
// Keys are "<group>.<Type>.<field>" with the version left out ("core" for the legacy group).

export interface ListTopology {
  readonly type: 'atomic' | 'set' | 'map';
  readonly keys?: readonly string[];
  /** Key fields with a default, which items may omit (upstream reads these from +default). */
  readonly keyDefaults?: Readonly<Record<string, unknown>>;
}

const atomic: ListTopology = { type: 'atomic' };
const set: ListTopology = { type: 'set' };
const mapBy = (...keys: string[]): ListTopology => ({ type: 'map', keys });
const byType = mapBy('type');
const byName = mapBy('name');
const containerLists = (prefix: string): Record<string, ListTopology> => ({
  [`${prefix}.ports`]: { type: 'map', keys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } },
  [`${prefix}.env`]: byName,
  [`${prefix}.volumeMounts`]: mapBy('mountPath'),
  [`${prefix}.volumeDevices`]: mapBy('devicePath'),
  [`${prefix}.resizePolicy`]: atomic,
  [`${prefix}.command`]: atomic,
  [`${prefix}.args`]: atomic,
  [`${prefix}.envFrom`]: atomic,
});

export const LIST_TOPOLOGY: Readonly<Record<string, ListTopology>> = {
  'meta.ObjectMeta.finalizers': set,
  'meta.ObjectMeta.ownerReferences': mapBy('uid'),
  'meta.ObjectMeta.managedFields': atomic,
  'meta.LabelSelector.matchExpressions': atomic,

  ...containerLists('core.Container'),
  ...containerLists('core.EphemeralContainer'),
  'core.PodSpec.volumes': byName,
  'core.PodSpec.initContainers': byName,
  'core.PodSpec.containers': byName,
  'core.PodSpec.ephemeralContainers': byName,
  'core.PodSpec.imagePullSecrets': byName,
  'core.PodSpec.hostAliases': mapBy('ip'),
  'core.PodSpec.topologySpreadConstraints': mapBy('topologyKey', 'whenUnsatisfiable'),
  'core.PodSpec.schedulingGates': byName,
  'core.PodSpec.resourceClaims': byName,
  'core.PodSpec.tolerations': atomic,
  'core.PodSpec.readinessGates': atomic,
  'core.PodStatus.conditions': byType,
  'core.PodStatus.podIPs': mapBy('ip'),
  'core.PodStatus.hostIPs': mapBy('ip'),
  'core.PodStatus.resourceClaimStatuses': byName,
  'core.PodStatus.containerStatuses': atomic,
  'core.PodStatus.initContainerStatuses': atomic,
  'core.PodStatus.ephemeralContainerStatuses': atomic,
  'core.ResourceRequirements.claims': byName,
  'core.ServiceSpec.ports': { type: 'map', keys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } },
  'core.ServiceStatus.conditions': byType,
  'core.NodeSpec.podCIDRs': set,
  'core.NodeSpec.taints': atomic,
  'core.NodeStatus.addresses': byType,
  'core.NodeStatus.conditions': byType,
  'core.ServiceAccount.secrets': byName,
  'core.NamespaceStatus.conditions': byType,
  'core.PersistentVolumeClaimStatus.conditions': byType,
  'core.ReplicationControllerStatus.conditions': byType,

  'apps.DeploymentStatus.conditions': byType,
  'apps.ReplicaSetStatus.conditions': byType,
  'apps.StatefulSetStatus.conditions': byType,
  'apps.DaemonSetStatus.conditions': byType,
  'apps.StatefulSetSpec.volumeClaimTemplates': atomic,
  'batch.JobStatus.conditions': atomic,
  'batch.CronJobStatus.active': atomic,
  'policy.PodDisruptionBudgetStatus.conditions': byType,
  'admissionregistration.ValidatingWebhookConfiguration.webhooks': byName,
  'admissionregistration.MutatingWebhookConfiguration.webhooks': byName,
  'storage.CSINodeSpec.drivers': byName,
};

/** Structs tagged +structType=atomic: owned and replaced as a whole. */
export const ATOMIC_STRUCTS: ReadonlySet<string> = new Set([
  'meta.LabelSelector',
  'meta.OwnerReference',
  'core.LocalObjectReference',
  'core.ObjectReference',
  'core.TypedLocalObjectReference',
  'core.SecretReference',
  'core.NodeSelector',
  'core.NodeSelectorTerm',
  'core.TopologySelectorTerm',
  'core.ConfigMapKeySelector',
  'core.SecretKeySelector',
  'core.ObjectFieldSelector',
  'core.ResourceFieldSelector',
  'core.ConfigMapEnvSource',
  'core.SecretEnvSource',
]);

/** Maps tagged +mapType=atomic. */
export const ATOMIC_MAPS: ReadonlySet<string> = new Set([
  'core.ServiceSpec.selector',
  'core.ReplicationControllerSpec.selector',
  'core.PodSpec.nodeSelector',
]);

/**
 * "io.k8s.api.apps.v1.Deployment" -> "apps.Deployment"; "io.k8s.api.core.v1.Pod" -> "core.Pod";
 * "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" -> "meta.ObjectMeta". Other schemas keep their name.
 */
export function topologyName(schemaName: string): string {
  const parts = schemaName.split('.');
  const type = parts[parts.length - 1] ?? schemaName;
  if (schemaName.startsWith('io.k8s.api.') && parts.length >= 6) return `${parts[3]}.${type}`;
  if (schemaName.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) return `meta.${type}`;
  return schemaName;
}
