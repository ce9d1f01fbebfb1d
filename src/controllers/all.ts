// Every controller the controller manager runs, by upstream's name (kube-controller-manager
// --controllers). Add a controller here with its descriptor; manager.ts needs no change.
import type { ControllerDescriptor } from './context.js';
import { namespaceControllerDescriptor } from './namespace/descriptor.js';
import { rootCaPublisherDescriptor } from './root-ca/descriptor.js';
import { serviceAccountsControllerDescriptor } from './serviceaccount/descriptor.js';

export const allControllers: readonly ControllerDescriptor[] = [
  namespaceControllerDescriptor,
  serviceAccountsControllerDescriptor,
  rootCaPublisherDescriptor,
];
