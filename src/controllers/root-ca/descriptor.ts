import type { ControllerDescriptor } from '../context.js';
import { namespaceResource, namespaceResyncPeriodMs } from '../namespace/descriptor.js';
import { configMapResource, RootCaPublisher, rootCaConfigMapFieldSelector } from './publisher.js';

export const rootCaPublisherDescriptor: ControllerDescriptor = {
  name: 'root-ca-certificate-publisher',
  workers: 1,
  create: ({ client, informers, rootCaPem }) =>
    new RootCaPublisher({
      namespaces: informers.forResource(namespaceResource, { resyncPeriodMs: namespaceResyncPeriodMs }),
      configMaps: informers.forResource(configMapResource, { fieldSelector: rootCaConfigMapFieldSelector }),
      configMapClient: client.resource(configMapResource),
      rootCaPem,
    }),
};
