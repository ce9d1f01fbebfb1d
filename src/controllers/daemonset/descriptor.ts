import { controllerRevisionsResource, daemonSetsResource, nodesResource, podsResource } from '../common/resources.js';
import type { ControllerDescriptor } from '../context.js';
import { DaemonSetsController } from './controller.js';

export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: 'daemonset',
  // Upstream's --concurrent-daemonset-syncs default.
  workers: 2,
  create: ({ client, informers, clock, recorder }) =>
    new DaemonSetsController({
      daemonSets: informers.forResource(daemonSetsResource),
      pods: informers.forResource(podsResource),
      nodes: informers.forResource(nodesResource),
      revisions: informers.forResource(controllerRevisionsResource),
      daemonSetClient: client.resource(daemonSetsResource),
      podClient: client.resource(podsResource),
      revisionClient: client.resource(controllerRevisionsResource),
      recorder: recorder('daemonset-controller'),
      clock,
    }),
};
