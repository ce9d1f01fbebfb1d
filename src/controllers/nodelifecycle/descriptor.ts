import type { ControllerDescriptor } from '../context.js';
import { leasesResource, nodesResource, podsResource } from '../common/resources.js';
import { NodeLifecycleController } from './controller.js';

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'nodelifecycle',
  // Upstream runs a fixed 8 workers each for node taint updates and pod updates.
  workers: 8,
  create: ({ client, informers, recorder, clock, nodeLifecycle }) =>
    new NodeLifecycleController({
      nodes: informers.forResource(nodesResource),
      pods: informers.forResource(podsResource),
      // Only kube-node-lease holds node heartbeats; the shared informer covers every namespace.
      leases: informers.forResource(leasesResource),
      nodeClient: client.resource(nodesResource),
      podClient: client.resource(podsResource),
      recorder: recorder('node-controller'),
      clock,
      settings: nodeLifecycle,
    }),
};
