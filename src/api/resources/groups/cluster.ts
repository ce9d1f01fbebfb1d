// Cluster plumbing groups: networking, storage, coordination, discovery, events, scheduling, node.
// Beta versions (networking v1beta1 IPAddress/ServiceCIDR, storage v1beta1
// VolumeAttributesClass) are off by default on v1.32 and therefore not listed.
import type { ResourceInfo } from '../types.js';
import { defineGroupVersion, statusSubresource } from './define.js';

export const networkingV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'networking.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
    {
      resource: 'ingresses',
      kind: 'Ingress',
      namespaced: true,
      shortNames: ['ing'],
      subresources: [statusSubresource()],
    },
    { resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
  ],
);

export const storageV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'storage.k8s.io',
  'v1',
  { preferred: true },
  [
    { resource: 'csidrivers', kind: 'CSIDriver', namespaced: false },
    { resource: 'csinodes', kind: 'CSINode', namespaced: false },
    { resource: 'csistoragecapacities', kind: 'CSIStorageCapacity', namespaced: true },
    { resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
    {
      resource: 'volumeattachments',
      kind: 'VolumeAttachment',
      namespaced: false,
      subresources: [statusSubresource()],
    },
  ],
);

export const coordinationV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'coordination.k8s.io',
  'v1',
  { preferred: true },
  [{ resource: 'leases', kind: 'Lease', namespaced: true }],
);

export const discoveryV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'discovery.k8s.io',
  'v1',
  { preferred: true },
  [{ resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true }],
);

/** events.k8s.io is a second view of the core Event objects; both share one store. */
export const eventsV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'events.k8s.io',
  'v1',
  { preferred: true },
  [
    {
      resource: 'events',
      kind: 'Event',
      namespaced: true,
      shortNames: ['ev'],
      storage: { group: '', version: 'v1', resource: 'events' },
    },
  ],
);

export const schedulingV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'scheduling.k8s.io',
  'v1',
  { preferred: true },
  [{ resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] }],
);

export const nodeV1Resources: readonly ResourceInfo[] = defineGroupVersion('node.k8s.io', 'v1', { preferred: true }, [
  { resource: 'runtimeclasses', kind: 'RuntimeClass', namespaced: false },
]);
