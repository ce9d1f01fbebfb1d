// Patch metadata of every built-in kind k8ts serves, transcribed from the patchStrategy /
// patchMergeKey struct tags of k8s.io/api v1.32. Only tagged fields and the paths leading to
// them appear; every other field behaves as untagged (maps merge, lists are replaced).
// Lists tagged only with listType (tolerations, taints, rules, ...) are atomic for SMP.
import { hasKey } from './json-value.js';
import type { PatchField, PatchSchema, PatchStrategy } from './patch-schema.js';

const struct = (fields: Record<string, PatchField>): PatchSchema => ({ fields });
const nested = (schema: PatchSchema): PatchField => ({ schema });
const mergeBy = (mergeKey: string, schema?: PatchSchema, strategy: PatchStrategy = 'merge'): PatchField =>
  schema ? { strategy, mergeKey, schema } : { strategy, mergeKey };
/** A list of primitives merged as a set (patchStrategy=merge without a key). */
const mergeSet: PatchField = { strategy: 'merge' };
/** `conditions` lists are keyed by condition type throughout the API. */
const conditionsByType = mergeBy('type');
const statusWithConditions = nested(struct({ conditions: conditionsByType }));

// --- meta/v1 ---------------------------------------------------------------------------
export const objectMetaSchema = struct({
  finalizers: mergeSet,
  ownerReferences: mergeBy('uid'),
});
const metadata = nested(objectMetaSchema);

// --- core/v1 ---------------------------------------------------------------------------
const containerSchema = struct({
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
});

// Volume.ephemeral.volumeClaimTemplate carries an ObjectMeta of its own.
const volumeSchema = struct({
  ephemeral: nested(struct({ volumeClaimTemplate: nested(struct({ metadata })) })),
});

export const podSpecSchema = struct({
  volumes: mergeBy('name', volumeSchema, 'merge,retainKeys'),
  initContainers: mergeBy('name', containerSchema),
  containers: mergeBy('name', containerSchema),
  // EphemeralContainerCommon repeats Container's tags.
  ephemeralContainers: mergeBy('name', containerSchema),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: mergeBy('name', undefined, 'merge,retainKeys'),
});

const podStatusSchema = struct({
  conditions: conditionsByType,
  podIPs: mergeBy('ip'),
  hostIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeBy('name', undefined, 'merge,retainKeys'),
});

export const podTemplateSpecSchema = struct({ metadata, spec: nested(podSpecSchema) });
const template = nested(podTemplateSpecSchema);

/** A kind's schema: ObjectMeta plus its own top-level fields. */
const kind = (fields: Record<string, PatchField> = {}): PatchSchema => struct({ metadata, ...fields });
/** Workloads whose spec embeds a pod template and whose status has typed conditions. */
const workload = (specFields: Record<string, PatchField> = {}): PatchSchema =>
  kind({ spec: nested(struct({ template, ...specFields })), status: statusWithConditions });

const plain = kind();

const coreKinds: Record<string, PatchSchema> = {
  Pod: kind({ spec: nested(podSpecSchema), status: nested(podStatusSchema) }),
  PodTemplate: kind({ template }),
  ReplicationController: workload(),
  Service: kind({ spec: nested(struct({ ports: mergeBy('port') })), status: statusWithConditions }),
  Node: kind({
    spec: nested(struct({ podCIDRs: mergeSet })),
    status: nested(struct({ conditions: conditionsByType, addresses: mergeBy('type') })),
  }),
  Namespace: kind({ status: statusWithConditions }),
  PersistentVolumeClaim: kind({ status: statusWithConditions }),
  ServiceAccount: kind({ secrets: mergeBy('name') }),
  ComponentStatus: kind({ conditions: conditionsByType }),
  PersistentVolume: plain,
  ConfigMap: plain,
  Secret: plain,
  Endpoints: plain,
  Event: plain,
  LimitRange: plain,
  ResourceQuota: plain,
  Binding: plain,
};

// --- apps/v1, batch/v1 ---------------------------------------------------------------
const jobSpecSchema = struct({ template });

const appsKinds: Record<string, PatchSchema> = {
  // Deployment.spec.strategy is retainKeys: kubectl apply sends $retainKeys when switching types.
  Deployment: workload({ strategy: { strategy: 'retainKeys' } }),
  DaemonSet: workload(),
  StatefulSet: workload(),
  ReplicaSet: workload(),
  ControllerRevision: plain,
};

const batchKinds: Record<string, PatchSchema> = {
  Job: kind({ spec: nested(jobSpecSchema), status: statusWithConditions }),
  CronJob: kind({ spec: nested(struct({ jobTemplate: nested(struct({ metadata, spec: nested(jobSpecSchema) })) })) }),
};

/** Schemas by API group, then kind. Kinds shared by several versions use the newest version's tags. */
const schemasByGroup: Record<string, Record<string, PatchSchema>> = {
  '': coreKinds,
  apps: appsKinds,
  batch: batchKinds,
  // autoscaling/v2 status conditions merge by type; v1 has no conditions field, so one schema serves both.
  autoscaling: { HorizontalPodAutoscaler: kind({ status: statusWithConditions }), Scale: plain },
  policy: {
    PodDisruptionBudget: kind({ spec: nested(struct({ selector: { strategy: 'replace' } })), status: statusWithConditions }),
    Eviction: plain,
  },
  'rbac.authorization.k8s.io': { Role: plain, ClusterRole: plain, RoleBinding: plain, ClusterRoleBinding: plain },
  'networking.k8s.io': {
    NetworkPolicy: plain,
    Ingress: plain,
    IngressClass: plain,
    IPAddress: plain,
    ServiceCIDR: kind({ status: statusWithConditions }),
  },
  'storage.k8s.io': {
    StorageClass: plain,
    VolumeAttachment: plain,
    CSIDriver: plain,
    CSINode: kind({ spec: nested(struct({ drivers: mergeBy('name') })) }),
    CSIStorageCapacity: plain,
  },
  'coordination.k8s.io': { Lease: plain, LeaseCandidate: plain },
  'discovery.k8s.io': { EndpointSlice: plain },
  'events.k8s.io': { Event: plain },
  'scheduling.k8s.io': { PriorityClass: plain },
  'node.k8s.io': { RuntimeClass: plain },
  // CSR status conditions are a listType=map without patch tags: atomic for SMP.
  'certificates.k8s.io': { CertificateSigningRequest: plain, ClusterTrustBundle: plain },
  'admissionregistration.k8s.io': {
    ValidatingWebhookConfiguration: kind({ webhooks: mergeBy('name') }),
    MutatingWebhookConfiguration: kind({ webhooks: mergeBy('name') }),
    ValidatingAdmissionPolicy: plain,
    ValidatingAdmissionPolicyBinding: plain,
  },
  'apiextensions.k8s.io': { CustomResourceDefinition: plain },
  // flowcontrol v1 status conditions are listType=map without patch tags: atomic for SMP.
  'flowcontrol.apiserver.k8s.io': { FlowSchema: plain, PriorityLevelConfiguration: plain },
  'apiregistration.k8s.io': { APIService: kind({ status: statusWithConditions }) },
};

/**
 * The patch metadata for a built-in kind, or undefined for kinds without Go types
 * (custom resources), for which the API server refuses strategic merge patch with a 415.
 */
export function patchSchemaFor(group: string, kindName: string): PatchSchema | undefined {
  const kinds = hasKey(schemasByGroup, group) ? schemasByGroup[group] : undefined;
  if (!kinds || !hasKey(kinds, kindName)) return undefined;
  return kinds[kindName];
}
