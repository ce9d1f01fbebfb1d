// Registers the agent's nodes, or adopts them when they already exist (an agent that restarts
// finds its nodes again, as a kubelet does): each keeps its pod CIDR, new ones get a free block.
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { isAlreadyExists, type RestClient } from '../client/index.js';
import { buildNode, nodeAddress, type NodeSpec } from './node-template.js';
import { defaultClusterCidr, NodeCidrAllocator, PodIpAllocator } from './pod-cidr.js';
import { nodesResource } from './resources.js';

export interface ManagedNode {
  name: string;
  uid: string;
  podCidr: string;
  address: string;
  ips: PodIpAllocator;
}

export interface RegisterOptions {
  names: readonly string[];
  spec: NodeSpec;
  clusterCidr?: string;
  nodeCidrMaskSize: number;
  /** Creates in flight at once. */
  concurrency: number;
}

/** Nodes per list page while looking for existing nodes and used pod CIDRs. */
const listPageSize = 500;

export async function listAllNodes(client: RestClient): Promise<Node[]> {
  const nodes = client.resource<Node & KubeObject>(nodesResource);
  const all: Node[] = [];
  let token: string | undefined;
  do {
    const page = await nodes.list(undefined, { limit: listPageSize, ...(token ? { continue: token } : {}) });
    all.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token);
  return all;
}

/** Runs fn over items with at most `limit` at once. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function registerNodes(client: RestClient, options: RegisterOptions): Promise<Map<string, ManagedNode>> {
  const nodes = client.resource<Node & KubeObject>(nodesResource);
  const existing = new Map((await listAllNodes(client)).map((node) => [node.metadata?.name ?? '', node]));
  const missing = options.names.filter((name) => !existing.get(name)?.spec?.podCIDR);
  const cidrs = new NodeCidrAllocator(options.clusterCidr ?? defaultClusterCidr(existing.size + missing.length, options.nodeCidrMaskSize), options.nodeCidrMaskSize);
  for (const node of existing.values()) for (const cidr of node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : [])) cidrs.markUsed(cidr);

  const managed = new Map<string, ManagedNode>();
  const adopt = (node: Node): void => {
    const name = node.metadata!.name!;
    const podCidr = node.spec!.podCIDR!;
    managed.set(name, { name, uid: node.metadata!.uid ?? '', podCidr, address: nodeAddress(podCidr), ips: new PodIpAllocator(podCidr) });
  };
  const planned = new Map<string, string>();
  for (const name of options.names) {
    const node = existing.get(name);
    if (node?.spec?.podCIDR) adopt(node);
    else planned.set(name, cidrs.allocate());
  }
  await forEachLimited([...planned], options.concurrency, async ([name, podCidr]) => {
    try {
      adopt(await nodes.create(undefined, buildNode(name, podCidr, options.spec, Date.now()) as Node & KubeObject));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      // Registered meanwhile (another agent, or a node without a pod CIDR): give it ours.
      const current = await nodes.get(undefined, name);
      if (current.spec?.podCIDR) return adopt(current);
      adopt(await nodes.patch(undefined, name, { spec: { podCIDR: podCidr, podCIDRs: [podCidr] } }, 'merge'));
    }
  });
  return new Map(options.names.filter((name) => managed.has(name)).map((name) => [name, managed.get(name)!]));
}
