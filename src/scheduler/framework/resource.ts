// Resource arithmetic in the units the scheduler compares: millicores for cpu, bytes for
// memory and ephemeral-storage, counts for pods and extended resources.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../api/units/quantity.js';

export interface Resource {
  milliCpu: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  pods: number;
  /** Extended resources, hugepages and anything else not named above. */
  scalar: Map<string, number>;
}

/** Requests a container leaves out count as these when scoring, as upstream's non-zero defaults. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST_BYTES = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCpu: 0, memoryBytes: 0, ephemeralStorageBytes: 0, pods: 0, scalar: new Map() };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/**
 * Quantity text -> its value (or milli-value, for cpu) as a number. A cluster uses few distinct
 * quantities ("100m", "128Mi") and every pod event re-reads its requests, so parsing (BigInt
 * arithmetic) is done once per distinct text. Past this many entries a map starts over.
 */
export const QUANTITY_CACHE_MAX_ENTRIES = 4_096;
const valueByText = new Map<string | number, number>();
const milliValueByText = new Map<string | number, number>();

function cachedQuantity(cache: Map<string | number, number>, raw: string | number, milli: boolean): number {
  let v = cache.get(raw);
  if (v === undefined) {
    // Invalid text throws here, every time, as before: failures are not cached.
    const q = parseQuantity(raw);
    v = Number(milli ? q.milliValue() : q.value());
    if (cache.size >= QUANTITY_CACHE_MAX_ENTRIES) cache.clear();
    cache.set(raw, v);
  }
  return v;
}

/** A ResourceList ({cpu: "500m", memory: "1Gi", ...}) in scheduler units. */
export function resourceFromList(list: Readonly<Record<string, unknown>> | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const name in list) {
    if (!Object.hasOwn(list, name)) continue;
    const raw = list[name];
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    if (name === 'cpu') r.milliCpu = cachedQuantity(milliValueByText, raw, true);
    else if (name === 'memory') r.memoryBytes = cachedQuantity(valueByText, raw, false);
    else if (name === 'ephemeral-storage') r.ephemeralStorageBytes = cachedQuantity(valueByText, raw, false);
    else if (name === 'pods') r.pods = cachedQuantity(valueByText, raw, false);
    else r.scalar.set(name, cachedQuantity(valueByText, raw, false));
  }
  return r;
}

export function addResource(into: Resource, other: Resource, sign: 1 | -1 = 1): void {
  into.milliCpu += sign * other.milliCpu;
  into.memoryBytes += sign * other.memoryBytes;
  into.ephemeralStorageBytes += sign * other.ephemeralStorageBytes;
  into.pods += sign * other.pods;
  for (const [name, v] of other.scalar) into.scalar.set(name, (into.scalar.get(name) ?? 0) + sign * v);
}

function maxResource(into: Resource, other: Resource): void {
  into.milliCpu = Math.max(into.milliCpu, other.milliCpu);
  into.memoryBytes = Math.max(into.memoryBytes, other.memoryBytes);
  into.ephemeralStorageBytes = Math.max(into.ephemeralStorageBytes, other.ephemeralStorageBytes);
  for (const [name, v] of other.scalar) into.scalar.set(name, Math.max(into.scalar.get(name) ?? 0, v));
}

function containerRequests(container: Container, nonZero: boolean): Resource {
  const requests = (container.resources?.requests ?? {}) as Record<string, unknown>;
  const r = resourceFromList(requests);
  // Only a *missing* request takes the default; an explicit 0 stays 0.
  if (nonZero && !('cpu' in requests)) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
  if (nonZero && !('memory' in requests)) r.memoryBytes = DEFAULT_MEMORY_REQUEST_BYTES;
  return r;
}

/** Requests per frozen pod spec: scoring asks for them once per node, and parsing quantities dominates otherwise. */
const requestsBySpec = new WeakMap<object, { plain?: Resource; nonZero?: Resource }>();

/**
 * What a pod asks of a node: the sum of its containers and sidecars (restartable init
 * containers), or the largest single init container step if that is bigger, plus overhead.
 * `nonZero` substitutes the scoring defaults for missing cpu/memory requests.
 * The result is shared for frozen (informer-cached) pods: treat it as read-only.
 */
export function podRequests(pod: Pod, options: { nonZero?: boolean } = {}): Resource {
  const nonZero = options.nonZero ?? false;
  const spec = pod.spec;
  if (!spec || !Object.isFrozen(spec)) return computePodRequests(pod, nonZero);
  // Scoring asks about the same pod for every node in a row: check the last one before the map.
  if (spec === lastSpec) {
    const hit = nonZero ? lastEntry.nonZero : lastEntry.plain;
    if (hit) return hit;
  }
  let cached = requestsBySpec.get(spec);
  if (!cached) requestsBySpec.set(spec, (cached = {}));
  lastSpec = spec;
  lastEntry = cached;
  return nonZero ? (cached.nonZero ??= computePodRequests(pod, true)) : (cached.plain ??= computePodRequests(pod, false));
}
let lastSpec: object | undefined;
let lastEntry: { plain?: Resource; nonZero?: Resource } = {};

function computePodRequests(pod: Pod, nonZero: boolean): Resource {
  const total = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(total, containerRequests(c, nonZero));

  const sidecars = emptyResource();
  const initPeak = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerRequests(c, nonZero);
    let step: Resource;
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running next to the app containers and the init containers after it.
      addResource(total, own);
      addResource(sidecars, own);
      step = cloneResource(sidecars);
    } else {
      step = cloneResource(own);
      addResource(step, sidecars);
    }
    maxResource(initPeak, step);
  }
  maxResource(total, initPeak);
  if (pod.spec?.overhead) addResource(total, resourceFromList(pod.spec.overhead as Record<string, unknown>));
  return total;
}

export function isZeroResource(r: Resource): boolean {
  if (r.milliCpu !== 0 || r.memoryBytes !== 0 || r.ephemeralStorageBytes !== 0) return false;
  for (const v of r.scalar.values()) if (v !== 0) return false;
  return true;
}
