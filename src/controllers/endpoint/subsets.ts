// Upstream's endpoints.RepackSubsets and the endpoints controller's truncation: one subset per
// distinct set of addresses sharing the same ports, sorted so equal content compares equal, and
// at most maxEndpointsCapacity addresses in total.

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/** Upstream's maxCapacity: Endpoints hold at most 1000 addresses, ready ones first. */
export const maxEndpointsCapacity = 1000;
/** Upstream's v1.EndpointsOverCapacity annotation, "truncated" when addresses were dropped. */
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

const addressKey = (address: EndpointAddress): string => `${address.ip}|${address.targetRef?.uid ?? ''}`;
const portKey = (port: EndpointPort): string => JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? '']);

/**
 * Regroups (address, ports) entries so each subset holds the addresses offering exactly the same
 * ports. An address not ready on some port is not ready there, as upstream: not ready trumps ready.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const ports = new Map<string, EndpointPort | undefined>();
  /** port key → address key → ready */
  const readyByPort = new Map<string, Map<string, boolean>>();
  const record = (address: EndpointAddress, port: EndpointPort | undefined, ready: boolean): void => {
    const key = addressKey(address);
    if (!addresses.has(key)) addresses.set(key, address);
    // A port-less subset (headless Service without ports) is kept under a sentinel port.
    const pKey = port ? portKey(port) : 'none';
    if (!ports.has(pKey)) ports.set(pKey, port);
    let set = readyByPort.get(pKey);
    if (!set) readyByPort.set(pKey, (set = new Map()));
    if (set.get(key) !== false) set.set(key, ready);
  };
  for (const subset of subsets) {
    const subsetPorts: (EndpointPort | undefined)[] = subset.ports?.length ? subset.ports : [undefined];
    for (const port of subsetPorts) {
      for (const address of subset.addresses ?? []) record(address, port, true);
      for (const address of subset.notReadyAddresses ?? []) record(address, port, false);
    }
  }
  // Ports whose (address, readiness) sets are identical share a subset.
  const groups = new Map<string, { set: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const [pKey, set] of readyByPort) {
    const setKey = [...set].map(([key, ready]) => `${key}=${ready}`).sort().join(',');
    let group = groups.get(setKey);
    if (!group) groups.set(setKey, (group = { set, ports: [] }));
    const port = ports.get(pKey);
    if (port) group.ports.push(port);
  }
  const result: EndpointSubset[] = [];
  for (const { set, ports: groupPorts } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of set) (isReady ? ready : notReady).push(addresses.get(key)!);
    const subset: EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length > 0) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (groupPorts.length > 0) subset.ports = groupPorts.sort((a, b) => compareStrings(portKey(a), portKey(b)));
    result.push(subset);
  }
  return result.sort((a, b) => compareStrings(JSON.stringify(a), JSON.stringify(b)));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Upstream's LessEndpointAddress: by IP, then by the target's uid. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return compareStrings(a.ip, b.ip) || compareStrings(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '');
}

/**
 * Upstream's truncateEndpoints: past maxEndpointsCapacity, not-ready addresses go first; if the
 * ready ones alone are too many, every not-ready one goes and the ready ones are cut. Each subset
 * keeps its share, rounded up, so the last subsets may keep fewer. Returns whether it cut.
 */
export function truncateSubsets(subsets: EndpointSubset[], capacity = maxEndpointsCapacity): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const subset of subsets) {
    totalReady += subset.addresses?.length ?? 0;
    totalNotReady += subset.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= capacity) return false;
  const truncateReady = totalReady > capacity;
  const max = truncateReady ? capacity : capacity - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const subset of subsets) {
    const inSubset = (truncateReady ? subset.addresses?.length : subset.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      subset.addresses = (subset.addresses ?? []).slice(0, toBeAdded);
      delete subset.notReadyAddresses;
      canBeAdded -= subset.addresses.length;
    } else {
      subset.notReadyAddresses = (subset.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= subset.notReadyAddresses.length;
    }
    if (subset.addresses?.length === 0) delete subset.addresses;
    if (subset.notReadyAddresses?.length === 0) delete subset.notReadyAddresses;
  }
  return true;
}
