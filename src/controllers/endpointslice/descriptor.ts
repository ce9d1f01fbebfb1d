import type { ControllerDescriptor } from '../context.js';
import { endpointSlicesResource, nodesResource, podsResource, servicesResource } from '../common/resources.js';
import { EndpointSliceController } from './controller.js';

/** Upstream's --concurrent-service-endpoint-syncs default. */
export const endpointSliceWorkers = 5;

export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice',
  workers: endpointSliceWorkers,
  create: ({ client, informers, recorder }) =>
    new EndpointSliceController({
      services: informers.forResource(servicesResource),
      pods: informers.forResource(podsResource),
      nodes: informers.forResource(nodesResource),
      endpointSlices: informers.forResource(endpointSlicesResource),
      sliceClient: client.resource(endpointSlicesResource),
      recorder: recorder('endpoint-slice-controller'),
    }),
};
