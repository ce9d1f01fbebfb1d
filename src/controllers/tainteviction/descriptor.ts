import type { ControllerDescriptor } from '../context.js';
import { nodesResource, podsResource } from '../common/resources.js';
import { TaintEvictionController } from './controller.js';

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  // Upstream shards its node and pod updates over 8 workers.
  workers: 8,
  create: ({ client, informers, recorder, clock }) =>
    new TaintEvictionController({
      nodes: informers.forResource(nodesResource),
      pods: informers.forResource(podsResource),
      podClient: client.resource(podsResource),
      recorder: recorder('taint-eviction-controller'),
      clock,
    }),
};
