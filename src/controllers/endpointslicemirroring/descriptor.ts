import type { ControllerDescriptor } from '../context.js';
import { endpointSlicesResource, endpointsResource, servicesResource } from '../common/resources.js';
import { EndpointSliceMirroringController } from './controller.js';

/** Upstream's --mirroring-concurrent-service-endpoint-syncs default. */
export const mirroringWorkers = 5;

export const endpointSliceMirroringControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslicemirroring',
  workers: mirroringWorkers,
  create: ({ client, informers, recorder }) =>
    new EndpointSliceMirroringController({
      services: informers.forResource(servicesResource),
      endpoints: informers.forResource(endpointsResource),
      endpointSlices: informers.forResource(endpointSlicesResource),
      sliceClient: client.resource(endpointSlicesResource),
      recorder: recorder('endpointslice-mirroring-controller'),
    }),
};
