// What a new cluster holds before anyone asks: the system namespaces and the `kubernetes`
// Service in `default`, whose first cluster IP and endpoints point at this API server
// (upstream's bootstrap controller).
import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';
import type { Api } from './api.js';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(api: Api, group: string, resource: string, namespace: string, object: KubeObject): Promise<void> {
  const store = api.storeFor(group, resource);
  if (!store) throw new Error(`bootstrap: no store for ${group}/${resource}`);
  await store.fresh();
  if (store.cache.get(store.key(namespace, object.metadata!.name!))) return;
  try {
    await store.create(namespace, object, { dryRun: false, fieldManager: 'k8ts-bootstrap' });
  } catch (error) {
    if (error instanceof StatusError && error.reason === 'AlreadyExists') return;
    throw error;
  }
}

export interface BootstrapOptions {
  /** The address other components reach the API server at (for the kubernetes Endpoints). */
  advertiseAddress: string;
  securePort: number;
  firstServiceIp: string;
}

export async function bootstrapCluster(api: Api, options: BootstrapOptions): Promise<void> {
  for (const name of systemNamespaces) {
    await ensure(api, '', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  await ensure(api, '', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: options.firstServiceIp, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: options.securePort }], sessionAffinity: 'None' },
  });
  // A host with no address but loopback cannot publish the API server as a Service endpoint.
  if (!options.advertiseAddress.startsWith('127.')) await reconcileKubernetesEndpoints(api, options);
}

/** Points the kubernetes Endpoints and EndpointSlice at this server, updating them if the address moved. */
async function reconcileKubernetesEndpoints(api: Api, options: BootstrapOptions): Promise<void> {
  const endpoints: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: options.advertiseAddress }], ports: [{ name: 'https', port: options.securePort, protocol: 'TCP' }] }],
  };
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'k8ts-apiserver' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [options.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: options.securePort, protocol: 'TCP' }],
  };
  for (const [group, resource, object] of [['', 'endpoints', endpoints], ['discovery.k8s.io', 'endpointslices', slice]] as const) {
    const store = api.storeFor(group, resource)!;
    await store.update('default', 'kubernetes', (current) => ({ ...object, metadata: { ...current.metadata, ...object.metadata } }), { dryRun: false }).catch(async (error: unknown) => {
      if (error instanceof StatusError && error.code === 404) return ensure(api, group, resource, 'default', object);
      throw error;
    });
  }
}
