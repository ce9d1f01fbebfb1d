// The API resources the simulated kubelet reads and writes.
import type { ResourceRef } from '../client/index.js';

export const nodesResource: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const podsResource: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const leasesResource: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
/** Where node heartbeats live, as upstream's. */
export const nodeLeaseNamespace = 'kube-node-lease';
