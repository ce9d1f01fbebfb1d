import type { ControllerDescriptor } from '../context.js';
import { endpointsResource, podsResource, servicesResource } from '../common/resources.js';
import { EndpointsController } from './controller.js';

/** Upstream's --concurrent-endpoint-syncs default. */
export const endpointWorkers = 5;

export const endpointsControllerDescriptor: ControllerDescriptor = {
  name: 'endpoint',
  workers: endpointWorkers,
  create: ({ client, informers, recorder }) =>
    new EndpointsController({
      services: informers.forResource(servicesResource),
      pods: informers.forResource(podsResource),
      endpoints: informers.forResource(endpointsResource),
      endpointsClient: client.resource(endpointsResource),
      recorder: recorder('endpoint-controller'),
    }),
};
