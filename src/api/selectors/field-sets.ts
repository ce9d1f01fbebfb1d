// Which field selectors each kind accepts, and the field values an object offers to them, as in
// upstream v1.32: the per-kind field label conversion funcs registered in the scheme decide what
// is accepted (and word the error), the registries' GetAttrs decide the values.
import { badRequest } from '../errors.js';
import { isJsonObject, type KubeObject } from '../object.js';
import { fieldSelectorFromRequirements, type FieldSelector } from './fields.js';

type FieldReader = (obj: KubeObject) => Record<string, string>;

interface KindFieldSet {
  /** Labels accepted in a selector (metadata ones included where upstream accepts them). */
  labels: readonly string[];
  /** Old names the API server still accepts, rewritten to current ones. */
  aliases?: Readonly<Record<string, string>>;
  unsupported: (label: string) => string;
  read: FieldReader;
}

// ---- reading helpers: objects are untyped JSON, so every step is checked ----

function at(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Go's strconv.FormatBool of a bool field that defaults to false. */
const bool = (v: unknown): string => (v === true ? 'true' : 'false');
/** Go's strconv.Itoa of an int32 field that defaults to 0. */
const int = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0');

function firstPodIP(pod: KubeObject): string {
  const ips = at(pod, 'status', 'podIPs');
  if (Array.isArray(ips) && ips.length > 0) return str(at(ips[0], 'ip'));
  // v1 clients may set only the singular field; upstream's conversion folds it into podIPs.
  return str(at(pod, 'status', 'podIP'));
}

// ---- error wordings (they differ between kinds upstream) ----

const plainUnsupported = (label: string): string => `field label not supported: ${label}`;
const metaOnly = ['metadata.name', 'metadata.namespace'] as const;

/** Kinds with no conversion func of their own: upstream's DefaultMetaV1FieldSelectorConversion. */
const defaultFieldSet: KindFieldSet = {
  labels: metaOnly,
  unsupported: (label) => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
  read: () => ({}),
};

const eventLabels = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
  ...metaOnly,
];

/** Both Event APIs are served from one store of core Events, so both offer the core field names. */
function eventFields(involved: unknown, reason: unknown, reporting: unknown, sourceComponent: unknown, type: unknown): Record<string, string> {
  const reportingComponent = str(reporting);
  return {
    'involvedObject.kind': str(at(involved, 'kind')),
    'involvedObject.namespace': str(at(involved, 'namespace')),
    'involvedObject.name': str(at(involved, 'name')),
    'involvedObject.uid': str(at(involved, 'uid')),
    'involvedObject.apiVersion': str(at(involved, 'apiVersion')),
    'involvedObject.resourceVersion': str(at(involved, 'resourceVersion')),
    'involvedObject.fieldPath': str(at(involved, 'fieldPath')),
    reason: str(reason),
    reportingComponent,
    source: str(sourceComponent) || reportingComponent,
    type: str(type),
  };
}

const fieldSets: ReadonlyMap<string, KindFieldSet> = new Map<string, KindFieldSet>([
  [
    '/Pod',
    {
      labels: [
        ...metaOnly,
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.podIPs',
        'status.nominatedNodeName',
      ],
      aliases: { 'spec.host': 'spec.nodeName' },
      unsupported: plainUnsupported,
      // status.podIPs is accepted but, as upstream, never given a value (so it reads as "").
      read: (pod) => ({
        'spec.nodeName': str(at(pod, 'spec', 'nodeName')),
        'spec.restartPolicy': str(at(pod, 'spec', 'restartPolicy')),
        'spec.schedulerName': str(at(pod, 'spec', 'schedulerName')),
        'spec.serviceAccountName': str(at(pod, 'spec', 'serviceAccountName')),
        'spec.hostNetwork': bool(at(pod, 'spec', 'hostNetwork')),
        'status.phase': str(at(pod, 'status', 'phase')),
        'status.podIP': firstPodIP(pod),
        'status.nominatedNodeName': str(at(pod, 'status', 'nominatedNodeName')),
      }),
    },
  ],
  // Upstream's Node func does not accept metadata.namespace.
  ['/Node', { labels: ['metadata.name', 'spec.unschedulable'], unsupported: plainUnsupported, read: (n) => ({ 'spec.unschedulable': bool(at(n, 'spec', 'unschedulable')) }) }],
  [
    '/ReplicationController',
    { labels: [...metaOnly, 'status.replicas'], unsupported: plainUnsupported, read: (rc) => ({ 'status.replicas': int(at(rc, 'status', 'replicas')) }) },
  ],
  [
    '/Event',
    {
      labels: eventLabels,
      unsupported: plainUnsupported,
      read: (e) => eventFields(e.involvedObject, e.reason, e.reportingComponent, at(e, 'source', 'component'), e.type),
    },
  ],
  [
    'events.k8s.io/Event',
    {
      labels: eventLabels,
      unsupported: plainUnsupported,
      read: (e) => eventFields(e.regarding, e.reason, e.reportingController, at(e, 'deprecatedSource', 'component'), e.type),
    },
  ],
  [
    '/Namespace',
    {
      labels: ['status.phase', 'metadata.name'],
      unsupported: plainUnsupported,
      // Upstream also offers a bare "name" field for backward compatibility (not selectable by label check).
      read: (ns) => ({ 'status.phase': str(at(ns, 'status', 'phase')), name: str(at(ns, 'metadata', 'name')) }),
    },
  ],
  ['/Secret', { labels: ['type', ...metaOnly], unsupported: plainUnsupported, read: (s) => ({ type: str(s.type) }) }],
  [
    '/Service',
    {
      labels: [...metaOnly, 'spec.clusterIP', 'spec.type'],
      unsupported: plainUnsupported,
      read: (s) => ({ 'spec.clusterIP': str(at(s, 'spec', 'clusterIP')), 'spec.type': str(at(s, 'spec', 'type')) }),
    },
  ],
  [
    'batch/Job',
    {
      labels: [...metaOnly, 'status.successful'],
      unsupported: (label) => `field label ${JSON.stringify(label)} not supported for batchv1.Job`,
      read: (job) => ({ 'status.successful': int(at(job, 'status', 'succeeded')) }),
    },
  ],
  [
    'certificates.k8s.io/CertificateSigningRequest',
    { labels: ['metadata.name', 'spec.signerName'], unsupported: plainUnsupported, read: (csr) => ({ 'spec.signerName': str(at(csr, 'spec', 'signerName')) }) },
  ],
  [
    'certificates.k8s.io/ClusterTrustBundle',
    { labels: ['metadata.name', 'spec.signerName'], unsupported: plainUnsupported, read: (b) => ({ 'spec.signerName': str(at(b, 'spec', 'signerName')) }) },
  ],
  [
    'resource.k8s.io/ResourceSlice',
    {
      labels: ['metadata.name', 'spec.nodeName', 'spec.driver'],
      unsupported: (label) => `field label not supported for resource.k8s.io/v1beta1, Kind=ResourceSlice: ${label}`,
      read: (s) => ({ 'spec.nodeName': str(at(s, 'spec', 'nodeName')), 'spec.driver': str(at(s, 'spec', 'driver')) }),
    },
  ],
  // Upstream's ReplicaSet registry offers status.replicas, but apps/v1 registers no conversion
  // func, so the API server rejects it in a selector (kubernetes/kubernetes#135136).
  ['apps/ReplicaSet', { ...defaultFieldSet, read: (rs) => ({ 'status.replicas': int(at(rs, 'status', 'replicas')) }) }],
]);

function fieldSetFor(group: string, kind: string): KindFieldSet {
  return fieldSets.get(`${group}/${kind}`) ?? defaultFieldSet;
}

/** The field labels a selector on this kind may use. */
export function supportedFieldLabels(group: string, kind: string): readonly string[] {
  return fieldSetFor(group, kind).labels;
}

/** The fields of `obj` a field selector can test, metadata.name and metadata.namespace included. */
export function fieldsOf(group: string, kind: string, obj: KubeObject): Record<string, string> {
  return {
    'metadata.name': str(obj.metadata?.name),
    // Cluster-scoped objects have no namespace; "" is also what upstream's lookup yields then.
    'metadata.namespace': str(obj.metadata?.namespace),
    ...fieldSetFor(group, kind).read(obj),
  };
}

/**
 * Checks every label in `selector` against the kind, as the API server does before listing, and
 * returns the selector with legacy labels renamed. Throws 400 BadRequest with upstream's message.
 */
export function checkFieldSelector(group: string, kind: string, selector: FieldSelector): FieldSelector {
  const set = fieldSetFor(group, kind);
  return convertLabels(selector, (label) => {
    const renamed = set.aliases?.[label];
    if (renamed) return renamed;
    if (set.labels.includes(label)) return label;
    throw badRequest(set.unsupported(label));
  });
}

/** Custom resources: metadata.name, metadata.namespace when namespaced, and the CRD's selectableFields. */
export function checkCustomResourceFieldSelector(selector: FieldSelector, opts: { namespaced: boolean; selectableFields?: readonly string[] }): FieldSelector {
  return convertLabels(selector, (label) => {
    if (label === 'metadata.name' || (opts.namespaced && label === 'metadata.namespace') || opts.selectableFields?.includes(label)) return label;
    throw badRequest(plainUnsupported(label));
  });
}

function convertLabels(selector: FieldSelector, convert: (label: string) => string): FieldSelector {
  if (selector.isEmpty()) return selector;
  return fieldSelectorFromRequirements(selector.requirements().map((r) => ({ ...r, field: convert(r.field) })));
}

/**
 * Field values of a custom resource for its CRD's selectableFields (given as labels like
 * "spec.color", i.e. the jsonPath without its leading dot). Strings, integers and booleans are
 * the types a selectable field may have; anything else is left out and so reads as "".
 */
export function customResourceFieldsOf(obj: KubeObject, selectableFields: readonly string[] = []): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': str(obj.metadata?.name), 'metadata.namespace': str(obj.metadata?.namespace) };
  for (const label of selectableFields) {
    const value = at(obj, ...label.replace(/^\./, '').split('.'));
    if (typeof value === 'string') fields[label] = value;
    else if (typeof value === 'boolean') fields[label] = bool(value);
    else if (typeof value === 'number' && Number.isInteger(value)) fields[label] = String(value);
  }
  return fields;
}
