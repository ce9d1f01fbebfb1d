// The "before" object of a create. Upstream compares a new object against the zero value of its
// Go type, which the JSON encoding renders with every non-pointer struct present (spec, template,
// strategy...) and non-omitempty fields as null or 0. Whether a path existed before decides
// whether an updater's fieldsV1 marks it with "." (labels: yes; spec: no), so the zero objects
// of the common kinds are spelled out here; other built-ins get metadata, spec and status.
import { parseApiVersion, type KubeObject } from '../object.js';
import type { TypeInfo } from './type-info.js';

const meta = () => ({ creationTimestamp: null });
const podSpec = () => ({ containers: null });
const podTemplate = () => ({ metadata: meta(), spec: podSpec() });

const ZERO_BY_KIND: Record<string, () => Record<string, unknown>> = {
  'apps/Deployment': () => ({ spec: { selector: null, template: podTemplate(), strategy: {} }, status: {} }),
  'apps/ReplicaSet': () => ({ spec: { selector: null, template: podTemplate() }, status: { replicas: 0 } }),
  'apps/StatefulSet': () => ({ spec: { selector: null, template: podTemplate(), updateStrategy: {} }, status: { replicas: 0, availableReplicas: 0 } }),
  'apps/DaemonSet': () => ({
    spec: { selector: null, template: podTemplate(), updateStrategy: {} },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  }),
  'batch/Job': () => ({ spec: { template: podTemplate() }, status: {} }),
  'batch/CronJob': () => ({ spec: { schedule: '', jobTemplate: { metadata: meta(), spec: { template: podTemplate() } } }, status: {} }),
  '/Pod': () => ({ spec: podSpec(), status: {} }),
  '/ReplicationController': () => ({ spec: {}, status: { replicas: 0 } }),
  '/Service': () => ({ spec: {}, status: { loadBalancer: {} } }),
  '/PersistentVolumeClaim': () => ({ spec: { resources: {} }, status: {} }),
  '/ConfigMap': () => ({}),
  '/Secret': () => ({}),
  '/ServiceAccount': () => ({}),
  '/Endpoints': () => ({}),
  '/Event': () => ({ involvedObject: {}, source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '' }),
};

/**
 * The zero object of a kind. `builtin` is false for custom resources, which upstream starts
 * from an empty unstructured object (so even spec counts as added).
 */
export function emptyObjectFor(apiVersion: string, kind: string, builtin: boolean, type?: TypeInfo): KubeObject {
  if (!builtin) return { apiVersion, kind };
  const { group } = parseApiVersion(apiVersion);
  const zero = ZERO_BY_KIND[`${group}/${kind}`];
  if (zero) return { metadata: meta() as unknown as KubeObject['metadata'], ...zero() };
  const out: KubeObject = { metadata: meta() as unknown as KubeObject['metadata'] };
  const declares = (name: string): boolean => type?.kind === 'struct' && type.field(name) !== undefined;
  if (declares('spec')) out.spec = {};
  if (declares('status')) out.status = {};
  return out;
}
