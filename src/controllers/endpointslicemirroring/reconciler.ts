// Upstream's EndpointSlice mirroring reconciler (pkg/controller/endpointslicemirroring): the
// Endpoints of a selector-less Service, written by hand or by another tool, mirrored into
// EndpointSlices so slice consumers see them too. One slice per subset's ports and address type,
// holding at most maxEndpointsPerSubset addresses; extra slices of a port set are deleted.
import type { KubeObject } from '../../api/object.js';
import type { EndpointAddress, EndpointSubset } from '../endpoint/subsets.js';
import { lastChangeTriggerTimeAnnotation } from '../endpoint/pod-endpoints.js';
import { endpointKey, endpointsEqual, portsKey, type SliceEndpoint, type SlicePort } from '../endpointslice/endpoint.js';
import { managedByLabel, sameLabels, serviceNameLabel, type EndpointSliceObject, type ReconcilePlan } from '../endpointslice/reconciler.js';

/** The managed-by value of mirrored slices. */
export const mirroringControllerName = 'endpointslicemirroring-controller.k8s.io';
/** Upstream's --mirroring-max-endpoints-per-subset default. */
export const defaultMaxEndpointsPerSubset = 1000;
const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

export interface EndpointsObject extends KubeObject {
  subsets?: EndpointSubset[];
}

export interface MirrorResult {
  plan: ReconcilePlan;
  invalidAddresses: number;
  /** Addresses left out (invalid, or past maxEndpointsPerSubset). */
  skippedAddresses: number;
}

type AddressType = 'IPv4' | 'IPv6';

interface Group {
  addressType: AddressType;
  ports: SlicePort[];
  endpoints: Map<string, SliceEndpoint>;
}

export function addressType(ip: string): AddressType | undefined {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip)) return ip.split('.').every((part) => Number(part) <= 255) ? 'IPv4' : undefined;
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) ? 'IPv6' : undefined;
}

export function mirrorLabels(endpoints: EndpointsObject): Record<string, string> {
  return { ...(endpoints.metadata?.labels ?? {}), [serviceNameLabel]: endpoints.metadata?.name ?? '', [managedByLabel]: mirroringControllerName };
}

/** The Endpoints' annotations but the trigger time and kubectl's last-applied configuration. */
export function mirrorAnnotations(endpoints: EndpointsObject): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(endpoints.metadata?.annotations ?? {})) {
    if (key !== lastChangeTriggerTimeAnnotation && key !== lastAppliedAnnotation) annotations[key] = value;
  }
  return annotations;
}

/** A slice for the group; replacing `reuse` (same name, and its resourceVersion for a conditional update) when given. */
function newMirroredSlice(endpoints: EndpointsObject, group: Group, reuse: EndpointSliceObject | undefined): EndpointSliceObject {
  const name = reuse?.metadata?.name;
  const endpointsName = endpoints.metadata?.name ?? '';
  const annotations = mirrorAnnotations(endpoints);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...(name ? { name, resourceVersion: reuse?.metadata?.resourceVersion } : { generateName: endpointsName.length > 58 ? endpointsName.slice(0, 58) : `${endpointsName}-` }),
      namespace: endpoints.metadata?.namespace ?? '',
      labels: mirrorLabels(endpoints),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: endpointsName, uid: endpoints.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: group.addressType,
    endpoints: [...group.endpoints.values()],
    ports: structuredClone(group.ports),
  };
}

function toEndpoint(address: EndpointAddress, ready: boolean): SliceEndpoint {
  const endpoint: SliceEndpoint = { addresses: [address.ip], conditions: { ready } as SliceEndpoint['conditions'] };
  if (address.hostname) endpoint.hostname = address.hostname;
  if (address.targetRef) endpoint.targetRef = structuredClone(address.targetRef) as SliceEndpoint['targetRef'];
  if (address.nodeName) endpoint.nodeName = address.nodeName;
  return endpoint;
}

export function reconcileMirror(endpoints: EndpointsObject, existing: readonly EndpointSliceObject[], maxEndpointsPerSubset = defaultMaxEndpointsPerSubset): MirrorResult {
  const groups = new Map<string, Group>();
  let invalidAddresses = 0;
  let skippedAddresses = 0;
  for (const subset of endpoints.subsets ?? []) {
    const ports: SlicePort[] = (subset.ports ?? []).map((port) => ({ name: port.name ?? '', protocol: port.protocol ?? 'TCP', port: port.port, ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) }));
    const keyOf = (type: AddressType): string => `${type}/${portsKey(ports)}`;
    for (const type of ['IPv4', 'IPv6'] as const) if (!groups.has(keyOf(type))) groups.set(keyOf(type), { addressType: type, ports, endpoints: new Map() });
    const addresses: [EndpointAddress, boolean][] = [...(subset.addresses ?? []).map((a): [EndpointAddress, boolean] => [a, true]), ...(subset.notReadyAddresses ?? []).map((a): [EndpointAddress, boolean] => [a, false])];
    let added = 0;
    for (const [address, ready] of addresses) {
      if (added >= maxEndpointsPerSubset) break;
      const type = addressType(address.ip);
      if (!type) {
        invalidAddresses++;
        continue;
      }
      const endpoint = toEndpoint(address, ready);
      groups.get(keyOf(type))!.endpoints.set(endpointKey(endpoint), endpoint);
      added++;
    }
    skippedAddresses += addresses.length - added;
  }

  const plan: ReconcilePlan = { create: [], update: [], delete: [] };
  const existingByKey = new Map<string, EndpointSliceObject[]>();
  for (const slice of existing) {
    const key = `${slice.addressType}/${portsKey(slice.ports ?? [])}`;
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  const labels = mirrorLabels(endpoints);
  const annotations = mirrorAnnotations(endpoints);
  for (const [key, group] of groups) {
    const slices = existingByKey.get(key) ?? [];
    if (group.endpoints.size === 0) {
      plan.delete.push(...slices);
      continue;
    }
    // One slice per port set: the first is kept and brought up to date, any others go.
    plan.delete.push(...slices.slice(1));
    const first = slices[0];
    if (first && unchanged(first, group, labels, annotations)) continue;
    (first ? plan.update : plan.create).push(newMirroredSlice(endpoints, group, first));
  }
  for (const [key, slices] of existingByKey) if (!groups.has(key)) plan.delete.push(...slices);

  // A slice that would be deleted while another is created is reused instead (upstream's recycleSlices).
  for (const type of ['IPv4', 'IPv6']) {
    const creates = plan.create.filter((slice) => slice.addressType === type);
    const deletes = plan.delete.filter((slice) => slice.addressType === type);
    for (let i = 0; i < creates.length && i < deletes.length; i++) {
      const slice = creates[i]!;
      plan.create.splice(plan.create.indexOf(slice), 1);
      plan.delete.splice(plan.delete.indexOf(deletes[i]!), 1);
      delete slice.metadata!.generateName;
      slice.metadata!.name = deletes[i]!.metadata?.name;
      slice.metadata!.resourceVersion = deletes[i]!.metadata?.resourceVersion;
      plan.update.push(slice);
    }
  }
  return { plan, invalidAddresses, skippedAddresses };
}

function unchanged(slice: EndpointSliceObject, group: Group, labels: Record<string, string>, annotations: Record<string, string>): boolean {
  const current = slice.endpoints ?? [];
  if (current.length !== group.endpoints.size) return false;
  for (const endpoint of current) {
    const want = group.endpoints.get(endpointKey(endpoint));
    if (!want || !endpointsEqual(want, endpoint)) return false;
  }
  return sameLabels(slice.metadata?.labels ?? {}, labels) && sameLabels(slice.metadata?.annotations ?? {}, annotations);
}
