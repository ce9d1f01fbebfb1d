// The node's heartbeat Lease in kube-node-lease (KEP-589), renewed every 10 s from the copy last
// written, as upstream's lease controller, and re-read only after a conflict.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isConflict, isNotFound, type RestClient, type ResourceClient } from '../../client/index.js';
import { leasesResource, nodeLeaseNamespace } from '../context.js';
import { leaseDurationSeconds } from '../limits.js';

type LeaseObject = Lease & KubeObject;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z').replace(/(\.\d{3})000Z$/, '$1000Z');
}

export class NodeLease {
  private readonly leases: ResourceClient<LeaseObject>;
  private latest: LeaseObject | undefined;

  constructor(client: RestClient, private readonly node: { name: string; uid: () => string }) {
    this.leases = client.resource<LeaseObject>(leasesResource);
  }

  async renew(): Promise<void> {
    if (this.latest) {
      try {
        this.latest = await this.leases.update(nodeLeaseNamespace, this.renewed(this.latest));
        return;
      } catch (error) {
        this.latest = undefined;
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
    }
    try {
      this.latest = await this.leases.update(nodeLeaseNamespace, this.renewed(await this.leases.get(nodeLeaseNamespace, this.node.name)));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.latest = await this.leases.create(nodeLeaseNamespace, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        // Owned by its Node, so the garbage collector removes it with the node.
        metadata: { name: this.node.name, namespace: nodeLeaseNamespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.node.name, uid: this.node.uid() }] },
        spec: { holderIdentity: this.node.name, leaseDurationSeconds, renewTime: microTime(Date.now()) },
      });
    }
  }

  private renewed(lease: LeaseObject): LeaseObject {
    return { ...lease, spec: { ...lease.spec, holderIdentity: this.node.name, leaseDurationSeconds, renewTime: microTime(Date.now()) } };
  }
}
