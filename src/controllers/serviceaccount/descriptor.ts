import type { ControllerDescriptor } from '../context.js';
import { namespaceResource, namespaceResyncPeriodMs } from '../namespace/descriptor.js';
import { serviceAccountResource, ServiceAccountsController } from './controller.js';

export const serviceAccountsControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount',
  workers: 1,
  create: ({ client, informers }) =>
    new ServiceAccountsController({
      namespaces: informers.forResource(namespaceResource, { resyncPeriodMs: namespaceResyncPeriodMs }),
      serviceAccounts: informers.forResource(serviceAccountResource),
      serviceAccountClient: client.resource(serviceAccountResource),
    }),
};
