// Kind-specific parts of upstream's registry strategies (PrepareForCreate / PrepareForUpdate)
// that go beyond what the generic registry does itself: clearing status on create, copying
// old status into main-resource updates, and bumping metadata.generation on spec changes.
import { isJsonObject, type KubeObject } from '../object.js';
import { asJson, childObject, ensureObject, objectItems, stringMap, type JsonObject } from './fields.js';
import { prepareCSRForStatusUpdate } from './csr-subresources.js';
import { applyPodPriority } from './pod-admission.js';
import { computePodQOSClass } from './qos.js';
import { dropTypeDependentFields, normalizeClusterIPs } from './service.js';

export { computePodQOSClass };

export interface PrepareHooks {
  /**
   * True when the generic create path must not clear status: the hook sets it itself
   * (Pod, Namespace, PV, PVC, CRD) or upstream keeps the client's status (Node).
   */
  keepStatusOnCreate?: boolean;
  prepareForCreate?(obj: KubeObject): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** For writes to status-like subresources (status, a CSR's approval). */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject, subresource: string): void;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Upstream's metav1.Time rendering: RFC 3339 in UTC with whole seconds. */
function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- Pod ---------------------------------------------------------------------------------

function preparePodForCreate(obj: KubeObject): void {
  const pod = asJson(obj);
  applyDefaultServiceAccount(pod);
  applyPodPriority(pod);
  const status: JsonObject = { phase: 'Pending', qosClass: computePodQOSClass(pod) };
  // A gated pod says why it is not being scheduled.
  const gates = childObject(pod, 'spec')?.['schedulingGates'];
  if (Array.isArray(gates) && gates.length > 0) {
    status['conditions'] = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  pod['status'] = status;
}

/**
 * ServiceAccount admission names the "default" account for pods that name none (mirror pods
 * excepted); the deprecated serviceAccount alias follows, as the v1 conversion writes both.
 */
function applyDefaultServiceAccount(pod: JsonObject): void {
  if (stringMap(childObject(pod, 'metadata')?.['annotations'])['kubernetes.io/config.mirror'] !== undefined) return;
  const spec = ensureObject(pod, 'spec');
  if (typeof spec['serviceAccountName'] !== 'string' || spec['serviceAccountName'] === '') spec['serviceAccountName'] = 'default';
  spec['serviceAccount'] = spec['serviceAccountName'];
}

// ---- Namespace ---------------------------------------------------------------------------

const KUBERNETES_FINALIZER = 'kubernetes';

function prepareNamespaceForCreate(obj: KubeObject): void {
  const namespace = asJson(obj);
  namespace['status'] = { phase: 'Active' };
  const spec = ensureObject(namespace, 'spec');
  const finalizers: unknown[] = Array.isArray(spec['finalizers']) ? spec['finalizers'] : [];
  if (!finalizers.includes(KUBERNETES_FINALIZER)) spec['finalizers'] = [...finalizers, KUBERNETES_FINALIZER];
}

/** spec.finalizers may only change through the namespace's finalize subresource. */
function prepareNamespaceForUpdate(obj: KubeObject, old: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  const oldFinalizers = childObject(asJson(old), 'spec')?.['finalizers'];
  if (oldFinalizers === undefined) delete spec['finalizers'];
  else spec['finalizers'] = structuredClone(oldFinalizers);
}

// ---- Volumes -----------------------------------------------------------------------------

function preparePersistentVolumeForCreate(obj: KubeObject): void {
  asJson(obj)['status'] = { phase: 'Pending', lastPhaseTransitionTime: nowTimestamp() };
}

function preparePersistentVolumeClaimForCreate(obj: KubeObject): void {
  asJson(obj)['status'] = { phase: 'Pending' };
}

// ---- Job ---------------------------------------------------------------------------------

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const SELECTOR_UID_LABEL = 'batch.kubernetes.io/controller-uid';

/**
 * Unless the user manages the selector, a Job selects its pods by its own uid: the template
 * gets job-name and controller-uid labels (new and legacy keys) and the selector matches the
 * uid. Labels the user already set are left for validation to judge.
 * Requires metadata.name (generateName resolved) and metadata.uid to be set already.
 */
export function generateJobSelector(obj: KubeObject): void {
  const job = asJson(obj);
  const spec = ensureObject(job, 'spec');
  if (spec['manualSelector'] === true) return;
  const name = obj.metadata?.name ?? '';
  const uid = obj.metadata?.uid ?? '';
  // Upstream generates the selector after the uid is assigned; a missing uid here is a
  // caller bug that would otherwise select every pod with an empty controller-uid label.
  if (uid === '') throw new Error('Job prepareForCreate needs metadata.uid to be assigned first');
  const templateMeta = ensureObject(ensureObject(spec, 'template'), 'metadata');
  const labels = isJsonObject(templateMeta['labels']) ? templateMeta['labels'] : {};
  for (const key of JOB_NAME_LABELS) if (!(key in labels)) labels[key] = name;
  for (const key of CONTROLLER_UID_LABELS) if (!(key in labels)) labels[key] = uid;
  templateMeta['labels'] = labels;

  const selector = ensureObject(spec, 'selector');
  const matchLabels = isJsonObject(selector['matchLabels']) ? selector['matchLabels'] : {};
  if (!(SELECTOR_UID_LABEL in matchLabels)) matchLabels[SELECTOR_UID_LABEL] = uid;
  selector['matchLabels'] = matchLabels;
}

function templateLabelsOf(obj: KubeObject): Record<string, string> {
  const template = childObject(childObject(asJson(obj), 'spec') ?? {}, 'template');
  return stringMap(template ? childObject(template, 'metadata')?.['labels'] : undefined);
}

/**
 * Upstream's Job defaulter makes a label-less Job share its template's label map, so the
 * generated labels land on the Job as well (and a Job read back with no labels takes the
 * template's). Labels identical to the template's are taken to be that shared copy.
 */
function prepareJobForCreate(obj: KubeObject): void {
  const ownLabels = stringMap(obj.metadata?.labels);
  const sharedWithTemplate =
    Object.keys(ownLabels).length === 0 || sameJson(sortedEntries(ownLabels), sortedEntries(templateLabelsOf(obj)));
  generateJobSelector(obj);
  const templateLabels = templateLabelsOf(obj);
  if (sharedWithTemplate && Object.keys(templateLabels).length > 0) (obj.metadata ??= {}).labels = templateLabels;
}

function sortedEntries(map: Record<string, string>): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---- CustomResourceDefinition ------------------------------------------------------------

function storageVersionName(crd: JsonObject): string | undefined {
  const storage = objectItems(childObject(crd, 'spec'), 'versions').find((v) => v['storage'] === true);
  return typeof storage?.['name'] === 'string' ? storage['name'] : undefined;
}

function prepareCRDForCreate(obj: KubeObject): void {
  const crd = asJson(obj);
  const storage = storageVersionName(crd);
  crd['status'] = storage === undefined ? {} : { storedVersions: [storage] };
}

/** A new storage version is recorded in storedVersions; old ones stay until migrated. */
function prepareCRDForUpdate(obj: KubeObject): void {
  const crd = asJson(obj);
  const storage = storageVersionName(crd);
  if (storage === undefined) return;
  const status = ensureObject(crd, 'status');
  const stored: unknown[] = Array.isArray(status['storedVersions']) ? status['storedVersions'] : [];
  if (!stored.includes(storage)) status['storedVersions'] = [...stored, storage];
}

// ---- Workloads ---------------------------------------------------------------------------

/** Annotations are copied to ReplicaSets, so changing them is a new generation too. */
function prepareDeploymentForUpdate(obj: KubeObject, old: KubeObject): void {
  if (!sameJson(obj.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})) {
    obj.metadata = { ...(obj.metadata ?? {}), generation: (old.metadata?.generation ?? 0) + 1 };
  }
}

/** apps/v1 exposes the DaemonSet's internal templateGeneration through this annotation. */
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function templateGenerationOf(obj: KubeObject): number {
  const value = Number(obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '0');
  return Number.isInteger(value) ? value : 0;
}

function setTemplateGeneration(obj: KubeObject, generation: number): void {
  const metadata = (obj.metadata ??= {});
  metadata.annotations = { ...(metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
}

function prepareDaemonSetForCreate(obj: KubeObject): void {
  if (templateGenerationOf(obj) < 1) setTemplateGeneration(obj, 1);
}

/** Clients cannot set templateGeneration; it advances when the pod template changes. */
function prepareDaemonSetForUpdate(obj: KubeObject, old: KubeObject): void {
  const oldGeneration = templateGenerationOf(old);
  const templateChanged = !sameJson(
    childObject(asJson(obj), 'spec')?.['template'],
    childObject(asJson(old), 'spec')?.['template'],
  );
  setTemplateGeneration(obj, templateChanged ? oldGeneration + 1 : oldGeneration);
}

// ---- Others ------------------------------------------------------------------------------

function prepareServiceForCreate(obj: KubeObject): void {
  normalizeClusterIPs(ensureObject(asJson(obj), 'spec'));
}

function prepareServiceForUpdate(obj: KubeObject, old: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  dropTypeDependentFields(spec, childObject(asJson(old), 'spec') ?? {});
  normalizeClusterIPs(spec);
}

/** Users cannot create approved requests; the requester identity is filled by the server. */
function prepareCSRForCreate(obj: KubeObject): void {
  asJson(obj)['status'] = {};
}

/** The request itself is immutable; only status (via subresources) changes. */
function prepareCSRForUpdate(obj: KubeObject, old: KubeObject): void {
  const oldSpec = childObject(asJson(old), 'spec');
  if (oldSpec) asJson(obj)['spec'] = structuredClone(oldSpec);
}

/** Dynamic kubelet config is gone; its fields are dropped rather than stored. */
function prepareNodeForCreate(obj: KubeObject): void {
  const node = asJson(obj);
  delete childObject(node, 'spec')?.['configSource'];
  delete childObject(node, 'status')?.['config'];
}

// ---- Status as upstream serializes it on create -------------------------------------------

/**
 * Upstream's PrepareForCreate resets status to the Go zero value, and Go's JSON encoder still
 * writes struct-typed fields and ints without omitempty. So a freshly created object shows e.g.
 * `status: {loadBalancer: {}}` (Service) or `status: {replicas: 0}` (ReplicaSet). The generic
 * create path has already removed the client's status when this runs.
 */
function zeroStatusOnCreate(zero: JsonObject, then?: (obj: KubeObject) => void): (obj: KubeObject) => void {
  return (obj) => {
    asJson(obj)['status'] = structuredClone(zero);
    then?.(obj);
  };
}

export const prepareHooks: Record<string, PrepareHooks> = {
  Pod: { keepStatusOnCreate: true, prepareForCreate: preparePodForCreate },
  Namespace: {
    keepStatusOnCreate: true,
    prepareForCreate: prepareNamespaceForCreate,
    prepareForUpdate: prepareNamespaceForUpdate,
  },
  PersistentVolume: { keepStatusOnCreate: true, prepareForCreate: preparePersistentVolumeForCreate },
  PersistentVolumeClaim: { keepStatusOnCreate: true, prepareForCreate: preparePersistentVolumeClaimForCreate },
  Service: {
    prepareForCreate: zeroStatusOnCreate({ loadBalancer: {} }, prepareServiceForCreate),
    prepareForUpdate: prepareServiceForUpdate,
  },
  ReplicationController: { prepareForCreate: zeroStatusOnCreate({ replicas: 0 }) },
  'ReplicaSet.apps': { prepareForCreate: zeroStatusOnCreate({ replicas: 0 }) },
  'StatefulSet.apps': { prepareForCreate: zeroStatusOnCreate({ replicas: 0, availableReplicas: 0 }) },
  'HorizontalPodAutoscaler.autoscaling': { prepareForCreate: zeroStatusOnCreate({ desiredReplicas: 0 }) },
  'PodDisruptionBudget.policy': {
    prepareForCreate: zeroStatusOnCreate({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  },
  'Ingress.networking.k8s.io': { prepareForCreate: zeroStatusOnCreate({ loadBalancer: {} }) },
  'VolumeAttachment.storage.k8s.io': { prepareForCreate: zeroStatusOnCreate({ attached: false }) },
  Node: { keepStatusOnCreate: true, prepareForCreate: prepareNodeForCreate },
  'Job.batch': { prepareForCreate: zeroStatusOnCreate({}, prepareJobForCreate) },
  'Deployment.apps': { prepareForCreate: zeroStatusOnCreate({}), prepareForUpdate: prepareDeploymentForUpdate },
  'CronJob.batch': { prepareForCreate: zeroStatusOnCreate({}) },
  ResourceQuota: { prepareForCreate: zeroStatusOnCreate({}) },
  'APIService.apiregistration.k8s.io': { prepareForCreate: zeroStatusOnCreate({}) },
  'FlowSchema.flowcontrol.apiserver.k8s.io': { prepareForCreate: zeroStatusOnCreate({}) },
  'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io': { prepareForCreate: zeroStatusOnCreate({}) },
  'ValidatingAdmissionPolicy.admissionregistration.k8s.io': { prepareForCreate: zeroStatusOnCreate({}) },
  'DaemonSet.apps': {
    prepareForCreate: zeroStatusOnCreate(
      { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
      prepareDaemonSetForCreate,
    ),
    prepareForUpdate: prepareDaemonSetForUpdate,
  },
  'CustomResourceDefinition.apiextensions.k8s.io': {
    keepStatusOnCreate: true,
    prepareForCreate: prepareCRDForCreate,
    prepareForUpdate: prepareCRDForUpdate,
  },
  'CertificateSigningRequest.certificates.k8s.io': {
    prepareForCreate: prepareCSRForCreate,
    prepareForUpdate: prepareCSRForUpdate,
    prepareForStatusUpdate: prepareCSRForStatusUpdate,
  },
};
