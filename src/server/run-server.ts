// `k8ts server`: the datastore, the API server and (in later issues) the scheduler, controller
// manager and local agent, in one process.
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Api } from '../apiserver/api.js';
import { namespaceLifecycle } from '../apiserver/admission/namespace-lifecycle.js';
import { parseIpv4Cidr, nthAddress } from '../apiserver/admission/ip-range.js';
import { ServiceAllocator, serviceAllocation } from '../apiserver/admission/service-allocation.js';
import { es256Signer } from '../apiserver/auth/jwt.js';
import { ServiceAccountTokens } from '../apiserver/auth/service-account-tokens.js';
import { bootstrapCluster } from '../apiserver/bootstrap.js';
import { CrdController } from '../apiserver/crd/crd-controller.js';
import { createApiServer, type ApiServer } from '../apiserver/server.js';
import { podGracePeriod } from '../apiserver/registry/pod-grace.js';
import { RestClient } from '../client/index.js';
import { ControllerManager } from '../controllers/manager.js';
import { ensureClusterPki, type ClusterPki } from '../pki/cluster-pki.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { Compactor } from '../storage/compactor.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/types.js';
import { ComponentRunner, type Component } from './components.js';

export interface ServerConfig {
  dataDir: string;
  bindAddress: string;
  securePort: number;
  datastore: string;
  serviceClusterIpRange: string;
  disableAgent: boolean;
  disableScheduler: boolean;
  disableControllerManager: boolean;
  /** TLS for an etcd datastore, as upstream's --etcd-cafile, --etcd-certfile, --etcd-keyfile. */
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  /** History kept for watches to resume from (at least compactionMinRevisions revisions). */
  compactionWindowMs: number;
  compactionMinRevisions: number;
}

export interface RunningServer {
  port: number;
  kubeconfigPath: string;
  readyAfterMs: number;
  stop(): Promise<void>;
}

/** The first non-internal IPv4 address of this host, for the kubernetes Endpoints and SANs. */
export function primaryAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

export async function runServer(config: ServerConfig): Promise<RunningServer> {
  const startedAt = performance.now();
  const serviceRange = parseIpv4Cidr(config.serviceClusterIpRange);
  const firstServiceIp = nthAddress(serviceRange, 1);
  const nodeAddress = primaryAddress();
  // Like upstream's --advertise-address default: the host's address, unless bound to one
  // specific, reachable address (a loopback address cannot be a Service endpoint).
  const specificBind = !['0.0.0.0', '::'].includes(config.bindAddress) && !config.bindAddress.startsWith('127.') && config.bindAddress !== '::1';
  const advertiseAddress = specificBind ? config.bindAddress : nodeAddress;
  const pki = await ensureClusterPki(join(config.dataDir, 'tls'), {
    hostname: hostname(),
    bindAddress: config.bindAddress,
    nodeAddresses: [nodeAddress],
    serviceIP: firstServiceIp,
  });

  let store: Store | undefined;
  let compactor: Compactor | undefined;
  let crds: CrdController | undefined;
  let http: ApiServer | undefined;
  let api: Api | undefined;
  let port = config.securePort;
  const runner = new ComponentRunner([
    {
      name: 'datastore',
      async start() {
        store = await openStore(config.datastore, config.dataDir, { etcdCaFile: config.etcdCaFile, etcdCertFile: config.etcdCertFile, etcdKeyFile: config.etcdKeyFile });
      },
      ready: () => store !== undefined,
      async stop() {
        await store?.close();
      },
    },
    {
      name: 'compactor',
      async start() {
        compactor = new Compactor(store!, { windowMs: config.compactionWindowMs, minRevisions: config.compactionMinRevisions });
        compactor.start();
      },
      ready: () => true,
      async stop() {
        await compactor?.stop();
      },
    },
    {
      name: 'apiserver',
      async start() {
        let allocator: ServiceAllocator | undefined;
        const apiRef: { current?: Api } = {};
        allocator = new ServiceAllocator(serviceRange, () => apiRef.current!.storeFor('', 'services')!);
        api = new Api({
          store: store!,
          admission: [namespaceLifecycle(() => apiRef.current!.storeFor('', 'namespaces')!), serviceAllocation(allocator)],
          gracePeriod: (group, kind) => (group === '' && kind === 'Pod' ? podGracePeriod : undefined),
        });
        apiRef.current = api;
        const tokens = new ServiceAccountTokens(es256Signer(pki.serviceAccount.privateKeyPem), () => ({
          serviceAccounts: apiRef.current!.storeFor('', 'serviceaccounts')!,
          pods: apiRef.current!.storeFor('', 'pods')!,
          secrets: apiRef.current!.storeFor('', 'secrets')!,
        }));
        http = createApiServer({
          tokens,
          api,
          tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem },
          advertisedAddress: () => `${advertiseAddress}:${port}`,
          ready: () => runner.ready(),
        });
        port = await http.listen(config.securePort, config.bindAddress);
        await bootstrapCluster(api, { advertiseAddress, securePort: port, firstServiceIp });
      },
      ready: () => http !== undefined,
      async stop() {
        await http?.close();
        for (const resourceStore of api?.allStores() ?? []) resourceStore.cache.stop();
      },
    },
    {
      // Custom resources are served from CRDs by the API server itself, as upstream's apiextensions server.
      name: 'customresourcedefinitions',
      async start() {
        crds = new CrdController(api!, () => api!.storeFor('apiextensions.k8s.io', 'customresourcedefinitions')!);
        await crds.start();
      },
      ready: () => crds !== undefined,
      async stop() {
        crds?.stop();
      },
    },
    ...disabledComponents(config),
    ...(config.disableControllerManager ? [] : [controllerManagerComponent(config, pki, () => port)]),
  ]);
  await runner.start();

  const kubeconfigPath = join(config.dataDir, 'kubeconfig.yaml');
  const serverHost = config.bindAddress === '0.0.0.0' || config.bindAddress === '::' ? '127.0.0.1' : config.bindAddress;
  await writeKubeconfig(kubeconfigPath, {
    server: `https://${serverHost.includes(':') ? `[${serverHost}]` : serverHost}:${port}`,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  });
  return {
    port,
    kubeconfigPath,
    readyAfterMs: performance.now() - startedAt,
    stop: () => runner.stop(),
  };
}

/** Components that later issues provide; until then their flags only record the choice. */
function disabledComponents(_config: ServerConfig): Component[] {
  return [];
}

/** A client for a component running inside this server, talking to it over HTTPS as the admin user. */
export function inProcessClient(config: ServerConfig, pki: ClusterPki, port: number, userAgent: string): RestClient {
  const host = config.bindAddress === '0.0.0.0' || config.bindAddress === '::' ? '127.0.0.1' : config.bindAddress;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new RestClient({ server, ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(pki.admin.certPem), key: Buffer.from(pki.admin.keyPem), userAgent });
}

/** kube-controller-manager, talking to this server as the admin user. */
function controllerManagerComponent(config: ServerConfig, pki: ClusterPki, port: () => number): Component {
  let client: RestClient | undefined;
  let manager: ControllerManager | undefined;
  return {
    name: 'controller-manager',
    async start() {
      client = inProcessClient(config, pki, port(), 'kube-controller-manager');
      manager = new ControllerManager({ client, rootCaPem: pki.ca.certPem });
      manager.start();
    },
    ready: () => manager !== undefined,
    async stop() {
      await manager?.stop();
      client?.close();
    },
  };
}
