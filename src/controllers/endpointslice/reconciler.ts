// Upstream's EndpointSlice reconciler (staging/src/k8s.io/endpointslice/reconciler.go), as a pure
// function from (Service, desired endpoints, existing slices) to the writes to make. Endpoints
// with the same ports share slices of at most maxEndpointsPerSlice; existing slices are changed
// as little as possible: kept endpoints stay where they are, new ones first fill slices that are
// being updated anyway, then the one unchanged slice they fit best, and only then new slices.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { headlessServiceLabel, isHeadless } from '../endpoint/pod-endpoints.js';
import { endpointKey, endpointsEqual, portsKey, type SliceEndpoint, type SlicePort } from './endpoint.js';

/** Upstream's --max-endpoints-per-slice default. */
export const defaultMaxEndpointsPerSlice = 100;
/** discovery.LabelServiceName and discovery.LabelManagedBy. */
export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
/** The managed-by value of this controller's slices. */
export const controllerName = 'endpointslice-controller.k8s.io';
export const addressType = 'IPv4';

export interface EndpointSliceObject extends KubeObject {
  addressType: string;
  endpoints: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

/** The endpoints wanted for one set of ports. */
export interface DesiredGroup {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface ReconcilePlan {
  create: EndpointSliceObject[];
  update: EndpointSliceObject[];
  delete: EndpointSliceObject[];
}

/** Upstream's setEndpointSliceLabels: the Service's labels but the reserved ones, then the reserved ones. */
export function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata?.labels ?? {})) {
    if (key !== serviceNameLabel && key !== managedByLabel && key !== headlessServiceLabel) labels[key] = value;
  }
  if (isHeadless(service)) labels[headlessServiceLabel] = '';
  labels[serviceNameLabel] = service.metadata?.name ?? '';
  labels[managedByLabel] = controllerName;
  return labels;
}

export function newSlice(service: Service, ports: SlicePort[]): EndpointSliceObject {
  const name = service.metadata?.name ?? '';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(name),
      namespace: service.metadata?.namespace ?? '',
      labels: sliceLabels(service),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints: [],
    ports: structuredClone(ports),
  };
}

/** "<service>-", shortened so the generated name (5 random characters more) stays within 63. */
function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length > 58 ? prefix.slice(0, 58) : prefix;
}

export function ownedBy(slice: KubeObject, service: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((ref) => ref.kind === 'Service' && ref.apiVersion === 'v1' && ref.uid === service.metadata?.uid);
}

export function reconcile(service: Service, desired: readonly DesiredGroup[], existing: readonly EndpointSliceObject[], maxEndpointsPerSlice = defaultMaxEndpointsPerSlice): ReconcilePlan {
  const plan: ReconcilePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(service);
  const existingByPorts = new Map<string, EndpointSliceObject[]>();
  for (const slice of existing) {
    // Slices of an older Service of the same name, or of another address family, go.
    if (!ownedBy(slice, service) || slice.addressType !== addressType) {
      plan.delete.push(slice);
      continue;
    }
    const key = portsKey(slice.ports ?? []);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const desiredByPorts = new Map(desired.map((group) => [portsKey(group.ports), group]));
  for (const [key, group] of desiredByPorts) {
    const part = reconcilePortGroup(service, labels, existingByPorts.get(key) ?? [], group, maxEndpointsPerSlice);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
  }
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) plan.delete.push(...slices);

  // A Service with no endpoints keeps one empty placeholder slice, as upstream.
  if (existing.length === plan.delete.length && plan.create.length === 0) {
    const placeholder = newSlice(service, []);
    const only = plan.delete[0];
    if (plan.delete.length === 1 && only && isPlaceholderFor(only, placeholder, service)) plan.delete = [];
    else plan.create.push(placeholder);
  }

  // Deleting one slice while creating another: reuse the name with an update instead.
  for (let i = 0; i < plan.delete.length && plan.create.length > 0; ) {
    const doomed = plan.delete[i]!;
    if (doomed.addressType === addressType && ownedBy(doomed, service)) {
      const slice = plan.create.pop()!;
      slice.metadata = { ...structuredClone(doomed.metadata ?? {}), labels: slice.metadata?.labels, ownerReferences: slice.metadata?.ownerReferences };
      delete slice.metadata.generateName;
      plan.update.push(slice);
      plan.delete.splice(i, 1);
    } else i++;
  }
  return plan;
}

function reconcilePortGroup(service: Service, labels: Record<string, string>, existing: readonly EndpointSliceObject[], group: DesiredGroup, max: number): ReconcilePlan {
  const plan: ReconcilePlan = { create: [], update: [], delete: [] };
  const wanted = new Map(group.endpoints.map((endpoint) => [endpointKey(endpoint), endpoint]));
  const unchanged: EndpointSliceObject[] = [];
  // 1. Keep every still-wanted endpoint in the slice it is in; drop the rest.
  for (const slice of existing) {
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const endpoint of slice.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const want = wanted.get(key);
      if (!want) {
        changed = true;
        continue;
      }
      if (!endpointsEqual(want, endpoint)) changed = true;
      kept.push(want);
      wanted.delete(key);
    }
    const labelsChanged = !sameLabels(slice.metadata?.labels ?? {}, labels);
    if (changed && kept.length === 0) plan.delete.push(slice);
    else if (changed || labelsChanged) plan.update.push({ ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata ?? {}), labels: { ...labels } }, endpoints: kept, ports: structuredClone(group.ports) });
    else unchanged.push(slice);
  }
  const remaining = [...wanted.values()];
  // 2. Fill the slices being updated anyway, fullest first.
  plan.update.sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
  for (const slice of plan.update) {
    while (remaining.length > 0 && (slice.endpoints ?? []).length < max) (slice.endpoints ??= []).push(remaining.shift()!);
  }
  // 3. Then the unchanged slice the rest fits into most tightly, then new slices.
  while (remaining.length > 0) {
    let slice: EndpointSliceObject | undefined;
    if (remaining.length < max) {
      const index = closestFit(unchanged, remaining.length, max);
      if (index >= 0) {
        slice = structuredClone(unchanged[index]!);
        unchanged.splice(index, 1);
      }
    }
    const isNew = slice === undefined;
    slice ??= newSlice(service, group.ports);
    while (remaining.length > 0 && (slice.endpoints ?? []).length < max) (slice.endpoints ??= []).push(remaining.shift()!);
    (isNew ? plan.create : plan.update).push(slice);
  }
  return plan;
}

/** Upstream's getSliceToFill: the slice left closest to full after adding count endpoints; -1 if none fits. */
function closestFit(slices: readonly EndpointSliceObject[], count: number, max: number): number {
  let closestDiff = max;
  let index = -1;
  slices.forEach((slice, i) => {
    const diff = max - (count + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      index = i;
    }
  });
  return index;
}

/** Upstream's placeholderSliceCompare: same namespace, labels, address type, no ports and no endpoints. */
function isPlaceholderFor(slice: EndpointSliceObject, placeholder: EndpointSliceObject, service: Service): boolean {
  return (
    ownedBy(slice, service) &&
    slice.metadata?.namespace === placeholder.metadata?.namespace &&
    sameLabels(slice.metadata?.labels ?? {}, placeholder.metadata?.labels ?? {}) &&
    slice.addressType === placeholder.addressType &&
    (slice.ports ?? []).length === 0 &&
    (slice.endpoints ?? []).length === 0
  );
}

export function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
