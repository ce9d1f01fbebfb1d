import type { ControllerDescriptor } from '../context.js';
import { restGarbageCollectorApi } from './api.js';
import { defaultGarbageCollectorWorkers, GarbageCollectorController } from './controller.js';
import { discoverResources, RestMapper } from './discovery.js';
import { restMonitorFactory } from './monitors.js';

export const garbageCollectorControllerDescriptor: ControllerDescriptor = {
  name: 'garbage-collector-controller',
  workers: defaultGarbageCollectorWorkers,
  create: ({ client, recorder }) => {
    const mapper = new RestMapper();
    return new GarbageCollectorController({
      discover: () => discoverResources(client),
      mapper,
      api: restGarbageCollectorApi(client, mapper),
      monitorFactory: restMonitorFactory((resource) => client.resource(resource)),
      recorder: recorder('garbage-collector-controller'),
    });
  },
};
