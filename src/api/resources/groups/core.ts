// The legacy core group ("" / v1, served under /api/v1) as a v1.32 kube-apiserver serves it.
// pods/resize is absent on purpose: it only appeared in v1.33 (InPlacePodVerticalScaling beta).
import type { ResourceInfo } from '../types.js';
import {
  ALL_VERBS,
  CONNECT_VERBS,
  CREATE_ONLY,
  GET_PATCH_UPDATE,
  PROXY_VERBS,
  defineGroupVersion,
  statusSubresource,
  scaleSubresource,
} from './define.js';

/** Namespaces cannot be deleted in bulk: upstream leaves deletecollection out. */
const NAMESPACE_VERBS = ALL_VERBS.filter((verb) => verb !== 'deletecollection');

export const coreV1Resources: readonly ResourceInfo[] = defineGroupVersion('', 'v1', { preferred: true }, [
  // Binding is the pre-subresource way to bind a pod; only POST exists.
  { resource: 'bindings', kind: 'Binding', namespaced: true, verbs: CREATE_ONLY },
  // Computed on read from component health checks; never stored, so no watch.
  {
    resource: 'componentstatuses',
    kind: 'ComponentStatus',
    namespaced: false,
    verbs: ['get', 'list'],
    shortNames: ['cs'],
  },
  { resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
  {
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    verbs: NAMESPACE_VERBS,
    shortNames: ['ns'],
    subresources: [{ name: 'finalize', verbs: ['update'] }, statusSubresource()],
  },
  {
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: PROXY_VERBS }, statusSubresource()],
  },
  {
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    subresources: [statusSubresource()],
  },
  {
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    subresources: [statusSubresource()],
  },
  {
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: CONNECT_VERBS },
      { name: 'binding', kind: 'Binding', verbs: CREATE_ONLY },
      { name: 'ephemeralcontainers', verbs: GET_PATCH_UPDATE },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: CREATE_ONLY },
      { name: 'exec', kind: 'PodExecOptions', verbs: CONNECT_VERBS },
      // Upstream reports kind Pod for log even though the body is plain text.
      { name: 'log', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: CONNECT_VERBS },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
      statusSubresource(),
    ],
  },
  { resource: 'podtemplates', kind: 'PodTemplate', namespaced: true },
  {
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: [scaleSubresource(), statusSubresource()],
  },
  {
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
    subresources: [statusSubresource()],
  },
  { resource: 'secrets', kind: 'Secret', namespaced: true },
  {
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    subresources: [
      { name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: CREATE_ONLY },
    ],
  },
  {
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }, statusSubresource()],
  },
]);
