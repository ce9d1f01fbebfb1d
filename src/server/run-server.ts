// `k8ts server`: the datastore, the API server and (in later issues) the scheduler, controller
// manager and local agent, in one process.
import { hostname, networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { Api } from '../apiserver/api.js';
import { namespaceLifecycle } from '../apiserver/admission/namespace-lifecycle.js';
import { defaultTolerationSecondsPlugin } from '../apiserver/admission/default-toleration-seconds.js';
import type { NodeLifecycleSettings } from '../controllers/context.js';
import { parseIpv4Cidr, nthAddress } from '../apiserver/admission/ip-range.js';
import { ServiceAllocator, serviceAllocation } from '../apiserver/admission/service-allocation.js';
import { es256Signer } from '../apiserver/auth/jwt.js';
import { ServiceAccountTokens } from '../apiserver/auth/service-account-tokens.js';
import { bootstrapCluster } from '../apiserver/bootstrap.js';
import { CrdController } from '../apiserver/crd/crd-controller.js';
import { createApiServer, type ApiServer } from '../apiserver/server.js';
import { podGracePeriod } from '../apiserver/registry/pod-grace.js';
import { RestClient, type RestConfig } from '../client/index.js';
import { loopbackConnector, type LoopbackConnector } from '../client/loopback.js';
import { ControllerManager } from '../controllers/manager.js';
import { adminGroup, adminUser, ensureClusterPki, type ClusterPki } from '../pki/cluster-pki.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { Compactor } from '../storage/compactor.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/types.js';
import { ComponentRunner, type Component } from './components.js';
import { schedulerComponent } from './scheduler-component.js';
import { simNodesComponent } from '../sim/component.js';
import type { Kubelet } from '../kubelet/kubelet.js';
import type { GcPolicy } from '../kubelet/gc/policy.js';
import type { EvictionConfig } from '../kubelet/eviction/index.js';
import { agentUnavailableReason, defaultNodeName } from '../kubelet/run-agent.js';
import type { SimNodesOptions } from '../sim/options.js';

export interface ServerConfig {
  dataDir: string;
  bindAddress: string;
  securePort: number;
  datastore: string;
  serviceClusterIpRange: string;
  disableAgent: boolean;
  disableScheduler: boolean;
  disableControllerManager: boolean;
  /** A KubeSchedulerConfiguration file for the scheduler (upstream's kube-scheduler --config). */
  schedulerConfig?: string;
  /** Run the scheduler in a worker thread of its own (--scheduler-thread) rather than on the API server's. */
  schedulerThread?: boolean;
  /** TLS for an etcd datastore, as upstream's --etcd-cafile, --etcd-certfile, --etcd-keyfile. */
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  /** History kept for watches to resume from (at least compactionMinRevisions revisions). */
  compactionWindowMs: number;
  compactionMinRevisions: number;
  /** Simulated nodes run in this process (`--sim-nodes N`); none when absent. */
  simNodes?: SimNodesOptions;
  /** Node lifecycle timing for the controller manager (--node-monitor-grace-period and friends). */
  nodeLifecycle?: NodeLifecycleSettings;
  /** --terminated-pod-gc-threshold for the pod garbage collector (upstream's 12500 when absent). */
  terminatedPodGcThreshold?: number;
  /** DefaultTolerationSeconds admission: --default-not-ready-toleration-seconds, --default-unreachable-toleration-seconds (300). */
  defaultNotReadyTolerationSeconds?: number;
  defaultUnreachableTolerationSeconds?: number;
  /** The local agent's pod CIDR (--pod-cidr); the agent's default when absent. */
  podCidr?: string;
  /** The local agent's kubelet server port (10250 by default; 0 picks a free one). */
  kubeletPort?: number;
  /** The local agent's garbage collection (--image-gc-high-threshold, --maximum-dead-containers, …). */
  kubeletGc?: GcPolicy;
  /** The local agent's node-pressure eviction (--eviction-hard, --eviction-pressure-transition-period). */
  kubeletEviction?: EvictionConfig;
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
  // Components in this process speak HTTP to the API server over in-memory connections: no TLS,
  // and the connection itself carries who they are, the admin user their certificate named before.
  // The scheduler's thread does the same over a request channel.
  const serving = (): ApiServer => {
    if (!http) throw Object.assign(new Error('connect ECONNREFUSED: the API server is not serving yet'), { code: 'ECONNREFUSED' });
    return http;
  };
  const componentUser = () => ({ username: adminUser, groups: [adminGroup, 'system:authenticated'] });
  const acceptComponentConnection = (socket: Duplex): void => serving().acceptLoopback(socket, componentUser());
  const acceptThreadChannel = (port: MessagePort): void => serving().acceptThreadChannel(port, componentUser());
  const loopback = loopbackConnector(acceptComponentConnection);
  const restConfig = (): ComponentRestConfig => inProcessRestConfig(config, pki, port);
  const makeClient: MakeClient = (userAgent, overrides) => new RestClient({ ...restConfig(), userAgent, loopback, ...overrides });
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
          admission: [
            namespaceLifecycle(() => apiRef.current!.storeFor('', 'namespaces')!),
            serviceAllocation(allocator),
            defaultTolerationSecondsPlugin({ notReadySeconds: config.defaultNotReadyTolerationSeconds, unreachableSeconds: config.defaultUnreachableTolerationSeconds }),
          ],
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
          kubeletClient: pki.kubeletClient,
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
    ...(config.disableControllerManager ? [] : [controllerManagerComponent(config, pki, makeClient)]),
    ...(config.disableScheduler ? [] : [schedulerComponent(config, { makeClient, restConfig, acceptChannel: acceptThreadChannel })]),
    ...(config.disableAgent ? [] : agentComponent(config, pki, makeClient, advertiseAddress)),
    ...(config.simNodes ? [simNodesComponent(config.simNodes, (overrides) => makeClient('k8ts-sim', overrides))] : []),
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

/**
 * The local node agent, registered as a control-plane node. It needs root and an OCI runtime;
 * without them the server says so once and runs without it. On stop it leaves containers running.
 */
function agentComponent(config: ServerConfig, pki: ClusterPki, makeClient: MakeClient, hostIP: string): Component[] {
  const unavailable = agentUnavailableReason();
  if (unavailable) {
    process.stderr.write(`k8ts server: warning: running without the local agent: ${unavailable} (--disable-agent silences this)\n`);
    return [];
  }
  let client: RestClient | undefined;
  let agent: Kubelet | undefined;
  return [
    {
      name: 'agent',
      async start() {
        client = makeClient('kubelet');
        // Loaded only when the agent runs: the kubelet and the container runtime are a third of the
        // server's modules, and loading them took ~400 ms of every start without an agent.
        const { Kubelet } = await import('../kubelet/kubelet.js');
        agent = new Kubelet({ client, nodeName: defaultNodeName(), dataDir: resolve(config.dataDir), hostIP, podCidr: config.podCidr, controlPlane: true, servingCa: pki.ca, kubeletPort: config.kubeletPort, gc: config.kubeletGc, eviction: config.kubeletEviction });
        await agent.start();
      },
      ready: () => agent !== undefined,
      async stop() {
        await agent?.stop();
        client?.close();
      },
    },
  ];
}

/** Components that later issues provide; until then their flags only record the choice. */
function disabledComponents(_config: ServerConfig): Component[] {
  return [];
}

export type MakeClient = (userAgent: string, overrides?: Partial<RestConfig>) => RestClient;

/** Where and as whom a component running inside this server reaches the API server. */
export type ComponentRestConfig = Pick<RestConfig, 'server' | 'ca' | 'cert' | 'key'>;

/**
 * The URL, CA and admin certificate of a component inside this server. Its requests go over
 * loopback (or thread) connections, which carry the admin identity themselves; the rest stays for
 * what components read from the config (the kubelet's client CA).
 */
function inProcessRestConfig(config: ServerConfig, pki: ClusterPki, port: number): ComponentRestConfig {
  const host = config.bindAddress === '0.0.0.0' || config.bindAddress === '::' ? '127.0.0.1' : config.bindAddress;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { server, ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(pki.admin.certPem), key: Buffer.from(pki.admin.keyPem) };
}

/** kube-controller-manager, talking to this server as the admin user. */
function controllerManagerComponent(config: ServerConfig, pki: ClusterPki, makeClient: MakeClient): Component {
  let client: RestClient | undefined;
  let manager: ControllerManager | undefined;
  return {
    name: 'controller-manager',
    async start() {
      client = makeClient('kube-controller-manager');
      // csrsigning signs with the cluster CA of the PKI dir, as kubeadm points --cluster-signing-*-file at it.
      manager = new ControllerManager({
        client,
        rootCaPem: pki.ca.certPem,
        nodeLifecycle: config.nodeLifecycle,
        terminatedPodGcThreshold: config.terminatedPodGcThreshold,
        clusterSigning: { certPem: pki.ca.certPem, keyPem: pki.ca.keyPem },
      });
      manager.start();
    },
    ready: () => manager !== undefined,
    async stop() {
      await manager?.stop();
      client?.close();
    },
  };
}

