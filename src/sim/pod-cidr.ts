// Pod address space of simulated nodes. Each node gets a distinct /24 (by default) of the
// cluster CIDR, as kube-controller-manager's node IPAM would give it, and hands its pods
// addresses from it the way the host-local CNI plugin does: .1 is the node's bridge, pods get
// .2 onwards, an address is free again once its pod is gone.
import { ipToNumber, numberToIp, parseIpv4Cidr, type Ipv4Range } from '../apiserver/admission/ip-range.js';

/** kind's and flannel's pod network, enough for 256 nodes with a /24 each. */
export const smallClusterCidr = '10.244.0.0/16';
/** Room for 32,768 /24s when more nodes are asked for; clear of the 10.96.0.0/12 service range. */
export const largeClusterCidr = '10.128.0.0/9';

/** The default cluster CIDR: the familiar 10.244.0.0/16 while it has a block for every node. */
export function defaultClusterCidr(nodeCount: number, maskSize: number): string {
  const blocks = 2 ** (maskSize - 16);
  return nodeCount <= blocks ? smallClusterCidr : largeClusterCidr;
}

/** Hands out /maskSize blocks of a cluster CIDR, skipping blocks other nodes already hold. */
export class NodeCidrAllocator {
  private readonly cluster: Ipv4Range;
  private readonly blockSize: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(clusterCidr: string, readonly maskSize: number) {
    this.cluster = parseIpv4Cidr(clusterCidr);
    const clusterBits = 32 - Math.log2(this.cluster.size);
    if (!Number.isInteger(maskSize) || maskSize < clusterBits || maskSize > 30) throw new Error(`node CIDR mask size /${maskSize} does not fit cluster CIDR ${this.cluster.cidr}`);
    this.blockSize = 2 ** (32 - maskSize);
  }

  get capacity(): number {
    return this.cluster.size / this.blockSize;
  }

  /** Records a block a node already has (ours from an earlier run, or another agent's); ignores CIDRs outside the cluster CIDR. */
  markUsed(cidr: string): void {
    const [ip] = cidr.split('/');
    const address = ipToNumber(ip ?? '');
    if (address === undefined || address < this.cluster.base || address >= this.cluster.base + this.cluster.size) return;
    this.used.add(Math.floor((address - this.cluster.base) / this.blockSize));
  }

  /** The next free block, lowest first; throws when the cluster CIDR is full. */
  allocate(): string {
    while (this.next < this.capacity && this.used.has(this.next)) this.next++;
    if (this.next >= this.capacity) throw new Error(`cluster CIDR ${this.cluster.cidr} has no free /${this.maskSize} left (${this.capacity} blocks); pass a larger --cluster-cidr`);
    this.used.add(this.next);
    return `${numberToIp(this.cluster.base + this.next * this.blockSize)}/${this.maskSize}`;
  }
}

/** host-local's allocation inside one node's pod CIDR: lowest free address from .2, owner by pod uid. */
export class PodIpAllocator {
  private readonly range: Ipv4Range;
  private readonly byOwner = new Map<string, number>();
  private readonly taken = new Set<number>();

  constructor(readonly cidr: string) {
    this.range = parseIpv4Cidr(cidr);
  }

  /** The bridge address (.1), which the node itself holds. */
  get gateway(): string {
    return numberToIp(this.range.base + 1);
  }

  contains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && n > this.range.base + 1 && n < this.range.base + this.range.size - 1;
  }

  /** The owner's address; a new one if it has none. Undefined when the range is exhausted. */
  allocate(owner: string): string | undefined {
    const held = this.byOwner.get(owner);
    if (held !== undefined) return numberToIp(held);
    // Network, bridge and broadcast addresses are never handed to pods.
    for (let offset = 2; offset < this.range.size - 1; offset++) {
      const n = this.range.base + offset;
      if (this.taken.has(n)) continue;
      this.taken.add(n);
      this.byOwner.set(owner, n);
      return numberToIp(n);
    }
    return undefined;
  }

  /** Records an address a pod already reports (after an agent restart); false if it is outside the range or taken by another pod. */
  reserve(owner: string, ip: string): boolean {
    const n = ipToNumber(ip);
    if (n === undefined || !this.contains(ip)) return false;
    const held = this.byOwner.get(owner);
    if (held === n) return true;
    if (held !== undefined || this.taken.has(n)) return false;
    this.taken.add(n);
    this.byOwner.set(owner, n);
    return true;
  }

  release(owner: string): void {
    const n = this.byOwner.get(owner);
    if (n === undefined) return;
    this.byOwner.delete(owner);
    this.taken.delete(n);
  }

  get inUse(): number {
    return this.taken.size;
  }
}
