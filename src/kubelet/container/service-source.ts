// The Services behind the pods' Service environment variables, from one informer on all Services
// (upstream's kubelet service lister) instead of a list and a get per container start.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceRef, SharedInformer } from '../../client/index.js';
import { namespaceIndex } from '../../client/store.js';
import type { ServiceSource } from '../context.js';

export type ServiceObject = Service & KubeObject;
export const servicesResource: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };

export function serviceSource(informer: SharedInformer<ServiceObject>): ServiceSource {
  return {
    synced: () => informer.hasSynced(),
    inNamespace: (namespace) => informer.cache.byIndex(namespaceIndex, namespace),
    get: (namespace, name) => informer.cache.get(`${namespace}/${name}`),
  };
}
