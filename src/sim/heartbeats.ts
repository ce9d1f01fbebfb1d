// A simulated kubelet's two heartbeats (KEP-589): the node's Lease in kube-node-lease, renewed
// every 10 s, and the node status, re-reported every minute. The lease is updated from the copy
// we last wrote, without a read first, as the kubelet's lease controller does.
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { isAlreadyExists, isConflict, isNotFound, type RestClient, type ResourceClient } from '../client/index.js';
import type { KubeObject } from '../api/object.js';
import { healthyConditions, nodeStatus, type NodeSpec } from './node-template.js';
import type { ManagedNode } from './node-registrar.js';
import { leasesResource, nodeLeaseNamespace, nodesResource } from './resources.js';

type LeaseObject = Lease & KubeObject;
type NodeObject = Node & KubeObject;

/** Leases per list page when the agent starts. */
const leaseListPageSize = 500;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export function buildLease(node: ManagedNode, leaseDurationSeconds: number, nowMs: number): LeaseObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: nodeLeaseNamespace,
      // Owned by its Node, so the garbage collector removes it with the node.
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }],
    },
    spec: { holderIdentity: node.name, leaseDurationSeconds, renewTime: microTime(nowMs) },
  };
}

export class LeaseHeartbeat {
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly latest = new Map<string, LeaseObject>();

  constructor(client: RestClient, private readonly leaseDurationSeconds: number) {
    this.leases = client.resource<LeaseObject>(leasesResource);
  }

  async renew(node: ManagedNode): Promise<void> {
    const known = this.latest.get(node.name);
    if (!known) return this.ensure(node);
    try {
      this.latest.set(node.name, await this.leases.update(nodeLeaseNamespace, this.renewed(known)));
    } catch (error) {
      // Someone else wrote it (or removed it): read it again before the next renewal.
      this.latest.delete(node.name);
      if (isConflict(error) || isNotFound(error)) return this.ensure(node);
      throw error;
    }
  }

  forget(name: string): void {
    this.latest.delete(name);
  }

  /** Learns the existing leases of these nodes with one paged list, instead of one read per node. */
  async seed(names: ReadonlySet<string>): Promise<void> {
    let token: string | undefined;
    do {
      const page = await this.leases.list(nodeLeaseNamespace, { limit: leaseListPageSize, ...(token ? { continue: token } : {}) });
      for (const lease of page.items) if (names.has(lease.metadata?.name ?? '')) this.latest.set(lease.metadata!.name!, lease);
      token = page.metadata.continue || undefined;
    } while (token);
  }

  private renewed(lease: LeaseObject): LeaseObject {
    return { ...lease, spec: { ...lease.spec, holderIdentity: lease.metadata?.name, leaseDurationSeconds: this.leaseDurationSeconds, renewTime: microTime(Date.now()) } };
  }

  /** Creates the lease, or (when it exists after all) reads and renews it. */
  private async ensure(node: ManagedNode): Promise<void> {
    try {
      this.latest.set(node.name, await this.leases.create(nodeLeaseNamespace, buildLease(node, this.leaseDurationSeconds, Date.now())));
      return;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const current = await this.leases.get(nodeLeaseNamespace, node.name);
    this.latest.set(node.name, await this.leases.update(nodeLeaseNamespace, this.renewed(current)));
  }
}

export class StatusHeartbeat {
  private readonly nodes: ResourceClient<NodeObject>;
  /** Nodes whose full status was reported since this agent started; later reports send conditions only. */
  private readonly reported = new Set<string>();

  constructor(client: RestClient, private readonly spec: NodeSpec, private readonly cached: (name: string) => Node | undefined) {
    this.nodes = client.resource<NodeObject>(nodesResource);
  }

  /** A strategic-merge patch of nodes/status: conditions merge by type, so no read-modify-write race. */
  async report(node: ManagedNode): Promise<void> {
    const now = Date.now();
    const previous = this.cached(node.name)?.status?.conditions ?? [];
    const status = this.reported.has(node.name) ? { conditions: healthyConditions(now, previous) } : nodeStatus(node.name, node.podCidr, this.spec, now, previous);
    await this.nodes.patch(undefined, node.name, { status }, 'strategic', { subresource: 'status' });
    this.reported.add(node.name);
  }

  /** The next report for this node sends its full status again (after its heartbeat was stopped). */
  resetFull(name: string): void {
    this.reported.delete(name);
  }
}
