// core/v1 defaults for kinds other than Pod and Service.
import { isJsonObject, type KubeObject } from '../object.js';
import {
  asJson,
  childObject,
  ensureObject,
  isNil,
  mapSize,
  objectItems,
  setIfNil,
  setIfZero,
  type JsonObject,
} from './fields.js';
import { setPodDefaults, setPodTemplateSpecDefaults } from './pod.js';
import { setServiceDefaults } from './service.js';
import { setPersistentSourceDefaults, setPersistentVolumeClaimSpecDefaults } from './volumes.js';

/**
 * ReplicationController: selector and object labels follow the template's labels when unset.
 * Upstream shares the template's label map; a copy gives the same stored result.
 */
export function setReplicationControllerSelectorDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  const template = childObject(spec, 'template');
  const templateMeta = template ? childObject(template, 'metadata') : undefined;
  const labels = templateMeta?.['labels'];
  if (!isJsonObject(labels)) return;
  if (mapSize(spec['selector']) === 0) spec['selector'] = { ...labels };
  const metadata = (obj.metadata ??= {});
  if (mapSize(metadata.labels) === 0) metadata.labels = { ...(labels as Record<string, string>) };
}

function setReplicationControllerDefaults(obj: KubeObject): void {
  setReplicationControllerSelectorDefaults(obj);
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'replicas', 1);
  setPodTemplateSpecDefaults(spec['template']);
}

function setPodTemplateDefaults(obj: KubeObject): void {
  setPodTemplateSpecDefaults(asJson(obj)['template']);
}

/** Namespaces always carry their own name as the kubernetes.io/metadata.name label. */
function setNamespaceDefaults(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (typeof name === 'string' && name !== '') {
    const metadata = obj.metadata!;
    metadata.labels = { ...(metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }
  setIfZero(ensureObject(asJson(obj), 'status'), 'phase', 'Active');
}

function setSecretDefaults(obj: KubeObject): void {
  const secret = asJson(obj);
  setIfZero(secret, 'type', 'Opaque');
  mergeSecretStringData(secret);
}

/**
 * stringData is write-only: upstream's v1 -> internal conversion copies each entry over
 * data (base64 of the UTF-8 text) and the internal type has no stringData, so it is never stored.
 */
function mergeSecretStringData(secret: JsonObject): void {
  if (!Object.hasOwn(secret, 'stringData')) return;
  const stringData = secret['stringData'];
  delete secret['stringData'];
  if (!isJsonObject(stringData) || Object.keys(stringData).length === 0) return;
  const data = isJsonObject(secret['data']) ? secret['data'] : (secret['data'] = {});
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(typeof value === 'string' ? value : String(value), 'utf8').toString('base64');
  }
}

function setPersistentVolumeDefaults(obj: KubeObject): void {
  const json = asJson(obj);
  setIfZero(ensureObject(json, 'status'), 'phase', 'Pending');
  const spec = ensureObject(json, 'spec');
  setIfZero(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setIfNil(spec, 'volumeMode', 'Filesystem');
  setPersistentSourceDefaults(spec);
}

/** Also used for StatefulSet volumeClaimTemplates, which upstream defaults as whole claims. */
export function setPersistentVolumeClaimDefaults(claim: JsonObject): void {
  setIfZero(ensureObject(claim, 'status'), 'phase', 'Pending');
  setPersistentVolumeClaimSpecDefaults(ensureObject(claim, 'spec'));
}

function setNodeDefaults(obj: KubeObject): void {
  // The v1 <-> internal conversion keeps podCIDR and podCIDRs in step: the list is filled from
  // the single value when empty, and the single value is always the list's first entry.
  const spec = childObject(asJson(obj), 'spec');
  if (spec) {
    const cidrs = spec['podCIDRs'];
    const cidr = spec['podCIDR'];
    if ((!Array.isArray(cidrs) || cidrs.length === 0) && typeof cidr === 'string' && cidr !== '') spec['podCIDRs'] = [cidr];
    const first = Array.isArray(spec['podCIDRs']) ? spec['podCIDRs'][0] : undefined;
    if (typeof first === 'string' && first !== '') spec['podCIDR'] = first;
  }
  // NodeStatus: allocatable starts out equal to capacity.
  const status = childObject(asJson(obj), 'status');
  if (status && isNil(status['allocatable']) && isJsonObject(status['capacity'])) {
    status['allocatable'] = { ...status['capacity'] };
  }
}

/** LimitRangeItem (type Container): default <- max, defaultRequest <- default, then min. */
function setLimitRangeDefaults(obj: KubeObject): void {
  const spec = childObject(asJson(obj), 'spec');
  for (const item of objectItems(spec, 'limits')) {
    if (item['type'] !== 'Container') continue;
    const defaults: JsonObject = isJsonObject(item['default']) ? { ...item['default'] } : {};
    const defaultRequests: JsonObject = isJsonObject(item['defaultRequest']) ? { ...item['defaultRequest'] } : {};
    fillMissing(defaults, item['max']);
    fillMissing(defaultRequests, defaults);
    fillMissing(defaultRequests, item['min']);
    // Go serialises an empty ResourceList as absent (omitempty).
    if (Object.keys(defaults).length > 0) item['default'] = defaults;
    if (Object.keys(defaultRequests).length > 0) item['defaultRequest'] = defaultRequests;
  }
}

function fillMissing(target: JsonObject, source: unknown): void {
  if (!isJsonObject(source)) return;
  for (const [key, value] of Object.entries(source)) if (!(key in target)) target[key] = value;
}

function setEndpointsDefaults(obj: KubeObject): void {
  for (const subset of objectItems(asJson(obj), 'subsets')) {
    for (const port of objectItems(subset, 'ports')) setIfZero(port, 'protocol', 'TCP');
  }
}

/**
 * Not defaults upstream, but what its JSON encoder writes for an Event's zero-valued fields:
 * struct fields always appear (involvedObject, source), unset times are null, and
 * reportingComponent / reportingInstance carry no omitempty.
 */
function setEventSerializationDefaults(obj: KubeObject): void {
  const event = asJson(obj);
  setIfNil(event, 'involvedObject', {});
  setIfNil(event, 'source', {});
  for (const key of ['firstTimestamp', 'lastTimestamp', 'eventTime']) {
    if (event[key] === undefined) event[key] = null;
  }
  setIfNil(event, 'reportingComponent', '');
  setIfNil(event, 'reportingInstance', '');
}

export const coreDefaulters: Record<string, (obj: KubeObject) => void> = {
  Event: setEventSerializationDefaults,
  Pod: (obj) => setPodDefaults(asJson(obj)),
  PodTemplate: setPodTemplateDefaults,
  ReplicationController: setReplicationControllerDefaults,
  Service: (obj) => setServiceDefaults(asJson(obj)),
  Namespace: setNamespaceDefaults,
  Secret: setSecretDefaults,
  PersistentVolume: setPersistentVolumeDefaults,
  PersistentVolumeClaim: (obj) => setPersistentVolumeClaimDefaults(asJson(obj)),
  Node: setNodeDefaults,
  LimitRange: setLimitRangeDefaults,
  Endpoints: setEndpointsDefaults,
};
