// The node agent: registers its Node, keeps it alive (Lease every 10 s, status on change and at
// least every minute) and runs the pods bound to it on real containers through the runtime.
// Stopping it leaves every container running, for the next agent on the same data dir to adopt.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../api/object.js';
import { isAlreadyExists, isNotFound, restEventRecorder, SharedInformerFactory, type RestClient, type ResourceClient } from '../client/index.js';
import { realClock } from '../controllers/common/clock.js';
import { defaultRuntime, type OciRuntimeName } from '../runtime/driver/oci-runtime.js';
import { Runtime } from '../runtime/runtime.js';
import { stopSpawnHelper, useSpawnHelper } from '../runtime/exec/run-command.js';
import type { CertificateAuthority } from '../pki/certs.js';
import { kubeletClientUser } from '../pki/cluster-pki.js';
import { defaultNetworkList } from '../runtime/sandbox/cni.js';
import { eventComponent, nodesResource, type KubeletContext } from './context.js';
import { serviceSource, servicesResource, type ServiceObject } from './container/service-source.js';
import { leaseRenewIntervalMs, nodeStatusCheckIntervalMs, nodeStatusReportIntervalMs, serviceSyncTimeoutMs, staticPodCheckIntervalMs } from './limits.js';
import { hostResources, nodeInfo } from './node/host-info.js';
import { NodeLease } from './node/node-lease.js';
import { buildNode, kubeletPort, nodeStatus, type NodeFacts } from './node/node-status.js';
import { issueKubeletServingCert, runtimeLocator, startKubeletServer, type KubeletServer } from './server/index.js';
import { PodWorkers } from './pods/pod-workers.js';
import { NodeGarbageCollector } from './gc/garbage-collector.js';
import { runtimeImageGc } from './gc/image-fs.js';
import { defaultGcPolicy, type GcPolicy } from './gc/policy.js';
import { MirrorPods } from './static/mirror-pods.js';
import { ServingCertificateManager } from './certificates/manager.js';
import { evictionFlagValues, hostEvictionManager, type EvictionConfig, type EvictionManager, type NodeReclaimer } from './eviction/index.js';

type NodeObject = Node & KubeObject;

export const defaultPodCidr = '10.244.0.0/24';
export const defaultDataDir = '/var/lib/k8ts';

export interface KubeletOptions {
  client: RestClient;
  nodeName: string;
  dataDir: string;
  hostIP: string;
  runtime?: OciRuntimeName;
  podCidr?: string;
  /** The server's own agent labels its node as control plane. */
  controlPlane?: boolean;
  /**
   * The cluster CA: the kubelet server's certificate is issued from it, and only the API
   * server's kubelet-client certificate it signed may call the server. Without it (an agent
   * joined by kubeconfig alone) the certificate is asked for through the certificates API
   * (certificates/manager.ts) and client certificates are checked against the kubeconfig's CA.
   */
  servingCa?: CertificateAuthority;
  /** The kubelet server's port (upstream's 10250); 0 picks a free one (tests). */
  kubeletPort?: number;
  /** Container and image garbage collection (--image-gc-*, --maximum-dead-containers*, …). */
  gc?: GcPolicy;
  /** Node-pressure eviction (--eviction-hard, --eviction-pressure-transition-period); upstream's defaults when absent. */
  eviction?: EvictionConfig;
  /** What frees disk before pods are evicted for it; the node's garbage collector when absent. */
  nodeReclaimer?: NodeReclaimer;
  log?: (message: string) => void;
}

/**
 * The bridge and netns names: k8ts0 and k8ts-<id> for the default data dir; other data dirs
 * (tests, several agents on one host) get names of their own so they never share a bridge.
 */
export function networkNames(dataDir: string): { bridge: string; netnsPrefix: string } {
  if (dataDir === defaultDataDir) return { bridge: 'k8ts0', netnsPrefix: 'k8ts-' };
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 6);
  return { bridge: `k8ts${tag}`, netnsPrefix: `k8ts-${tag}-` };
}

export class Kubelet {
  private runtime: Runtime | undefined;
  private server: KubeletServer | undefined;
  private servingCertificates: ServingCertificateManager | undefined;
  private stopping = false;
  private workers: PodWorkers | undefined;
  /** Dead containers and unused images; also what an eviction manager reclaims disk through. */
  gc: NodeGarbageCollector | undefined;
  private eviction: EvictionManager | undefined;
  private informers: SharedInformerFactory | undefined;
  private timers: NodeJS.Timeout[] = [];
  private nodeUid = '';
  private podCidr: string;
  private lastReported: { status: unknown; atMs: number } | undefined;
  /** Read once: the runtime's version does not change under a running agent. */
  private info: NodeFacts['info'] | undefined;
  private readonly nodes: ResourceClient<NodeObject>;
  private readonly log: (message: string) => void;

  constructor(private readonly options: KubeletOptions) {
    this.podCidr = options.podCidr ?? defaultPodCidr;
    this.nodes = options.client.resource<NodeObject>(nodesResource);
    this.log = options.log ?? ((m) => process.stderr.write(`k8ts agent: ${m}\n`));
  }

  async start(): Promise<void> {
    const runtimeName = this.options.runtime ?? defaultRuntime();
    // An existing Node keeps its pod CIDR: the runtime's network is opened with it.
    const existing = await this.nodes.get(undefined, this.options.nodeName).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (existing?.spec?.podCIDR) this.podCidr = existing.spec.podCIDR;
    const { bridge, netnsPrefix } = networkNames(this.options.dataDir);
    const root = join(this.options.dataDir, 'runtime');
    // The agent grows with its pods; a helper forks the runtime's commands (see run-command.ts).
    useSpawnHelper();
    this.runtime = await Runtime.open({
      root,
      runtime: runtimeName,
      network: defaultNetworkList({ bridge, podCidr: this.podCidr, ipamDataDir: join(root, 'ipam') }),
      netnsPrefix,
      // The table is named after the bridge, so test clusters on one host each have their own.
      masquerade: { table: bridge, podCidr: this.podCidr },
    });
    if (this.options.servingCa) {
      const ca = this.options.servingCa;
      this.server = await startKubeletServer({
        port: this.options.kubeletPort ?? kubeletPort,
        bindAddress: '0.0.0.0',
        nodeName: this.options.nodeName,
        tls: await issueKubeletServingCert(ca, { nodeName: this.options.nodeName, addresses: [this.options.hostIP] }),
        clientCaPem: ca.certPem,
        authorizedClientCn: kubeletClientUser,
        locator: runtimeLocator(this.runtime),
      });
    }
    await this.register(runtimeName);
    if (!this.options.servingCa) await this.startServingCertificates(runtimeName);
    const context: KubeletContext = {
      nodeName: this.options.nodeName,
      hostIP: this.options.hostIP,
      dataDir: this.options.dataDir,
      runtime: this.runtime,
      runtimeName,
      client: this.options.client,
      clock: realClock,
      nodeAllocatable: () => hostResources(this.options.dataDir).allocatable,
      log: this.log,
    };
    this.informers = new SharedInformerFactory(this.options.client);
    const services = this.informers.forResource<ServiceObject>(servicesResource);
    context.services = serviceSource(services);
    this.workers = new PodWorkers(context, this.informers);
    this.informers.start();
    // Pods started before the Services are known would fail with CreateContainerConfigError.
    await services.waitForSync(serviceSyncTimeoutMs);
    await this.workers.start();
    this.gc = this.startGarbageCollection(this.runtime, this.workers);
    const lease = new NodeLease(this.options.client, { name: this.options.nodeName, uid: () => this.nodeUid });
    const renew = (): void => void lease.renew().catch((error: unknown) => this.log(`renewing the node lease: ${(error as Error).message}`));
    const report = (): void => void this.reportStatus(runtimeName).catch((error: unknown) => this.log(`reporting node status: ${(error as Error).message}`));
    this.eviction = this.startEviction(context, this.workers, report);
    const workers = this.workers;
    const mirrors = new MirrorPods(context, () => this.nodeUid, () => workers.boundPods());
    let mirroring = false;
    const mirror = (): void => {
      if (mirroring) return;
      mirroring = true;
      mirrors
        .sync()
        .catch((error: unknown) => this.log(`static pods: ${(error as Error).message}`))
        .finally(() => (mirroring = false));
    };
    renew();
    mirror();
    this.timers.push(setInterval(renew, leaseRenewIntervalMs), setInterval(report, nodeStatusCheckIntervalMs), setInterval(mirror, staticPodCheckIntervalMs));
    this.log(`node ${this.options.nodeName} registered (pod CIDR ${this.podCidr}, ${runtimeName}); running its pods`);
  }

  /** Stops heart-beating and syncing; containers keep running. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.eviction?.stop();
    await this.gc?.stop();
    await this.workers?.stop();
    this.informers?.shutdown();
    this.stopping = true;
    await this.servingCertificates?.stop();
    await this.server?.close();
    await this.runtime?.close();
    stopSpawnHelper();
  }

  private startGarbageCollection(runtime: Runtime, workers: PodWorkers): NodeGarbageCollector {
    const recorder = restEventRecorder(this.options.client, eventComponent);
    // Upstream's nodeRef: the node's name stands in for its UID.
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: this.options.nodeName, uid: this.options.nodeName } };
    const gc = new NodeGarbageCollector({
      policy: this.options.gc ?? defaultGcPolicy,
      containerRuntime: runtime,
      imageRuntime: runtimeImageGc(runtime),
      pods: () => workers.boundPods(),
      clock: realClock,
      nodeEvent: (type, reason, message) => recorder.event(node, type, reason, message, { host: this.options.nodeName, reportingInstance: this.options.nodeName }),
      log: this.log,
    });
    gc.start();
    return gc;
  }

  /** The eviction manager; its pressure conditions go into the node status and gate pod admission. */
  private startEviction(context: KubeletContext, workers: PodWorkers, report: () => void): EvictionManager {
    const eviction = hostEvictionManager({
      context,
      config: this.options.eviction ?? evictionFlagValues(new Map()),
      workers,
      ...((this.options.nodeReclaimer ?? this.gc) ? { reclaimer: this.options.nodeReclaimer ?? this.gc } : {}),
      onConditionsChanged: report,
    });
    workers.syncer.admit = (pod) => eviction.admit(pod);
    eviction.start();
    return eviction;
  }

  private facts(runtimeName: OciRuntimeName): NodeFacts {
    return {
      name: this.options.nodeName,
      hostIP: this.options.hostIP,
      podCidr: this.podCidr,
      controlPlane: this.options.controlPlane ?? false,
      resources: hostResources(this.options.dataDir),
      info: (this.info ??= nodeInfo({ name: runtimeName, binary: runtimeName })),
      images: this.runtime?.listImages() ?? [],
      ...(this.server ? { kubeletPort: this.server.port } : {}),
      pressure: this.eviction?.conditions() ?? [],
    };
  }

  /**
   * An agent without the CA key gets its serving certificate through a kubelet-serving CSR, after
   * registering (the approver checks the SANs against the Node). The server starts with the first
   * certificate, which may wait for approval; the pods run meanwhile. Renewals swap it in place.
   */
  private async startServingCertificates(runtimeName: OciRuntimeName): Promise<void> {
    const clientCaPem = this.options.client.config.ca?.toString('utf8');
    if (!clientCaPem) {
      this.log('no kubelet server (logs, exec, port-forward): the kubeconfig names no certificate authority to check the API server against');
      return;
    }
    this.servingCertificates = new ServingCertificateManager({
      client: this.options.client,
      nodeName: this.options.nodeName,
      dir: join(this.options.dataDir, 'pki'),
      subjectAltNames: { dnsNames: [this.options.nodeName], ipAddresses: [this.options.hostIP] },
      log: this.log,
      onCertificate: async (tls) => {
        if (this.stopping) return;
        if (this.server) return this.server.updateTls(tls);
        this.server = await startKubeletServer({
          port: this.options.kubeletPort ?? kubeletPort,
          bindAddress: '0.0.0.0',
          nodeName: this.options.nodeName,
          tls,
          clientCaPem,
          authorizedClientCn: kubeletClientUser,
          locator: runtimeLocator(this.runtime!),
        });
        // The Node's daemonEndpoints tell the API server where to reach us: publish the port now.
        await this.reportStatus(runtimeName, true).catch((error: unknown) => this.log(`reporting node status: ${(error as Error).message}`));
      },
    });
    await this.servingCertificates.start();
  }

  /** Creates the Node, or adopts it: an existing node keeps its pod CIDR, and gets a fresh status. */
  private async register(runtimeName: OciRuntimeName): Promise<void> {
    const facts = this.facts(runtimeName);
    try {
      const node = await this.nodes.create(undefined, buildNode(facts, Date.now()) as NodeObject);
      this.nodeUid = node.metadata?.uid ?? '';
      return;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await this.nodes.get(undefined, this.options.nodeName);
    this.nodeUid = existing.metadata?.uid ?? '';
    if (existing.spec?.podCIDR) this.podCidr = existing.spec.podCIDR;
    else await this.nodes.patch(undefined, this.options.nodeName, { spec: { podCIDR: this.podCidr, podCIDRs: [this.podCidr] } }, 'merge');
    await this.nodes.patch(undefined, this.options.nodeName, { metadata: { labels: buildNode(facts, 0).metadata?.labels } }, 'merge');
    await this.reportStatus(runtimeName, true);
  }

  /** Sends the status when it changed (heartbeat times aside) or a minute after the last report. */
  private async reportStatus(runtimeName: OciRuntimeName, force = false): Promise<void> {
    const facts = this.facts(runtimeName);
    const comparable = { ...nodeStatus(facts, 0), conditions: undefined, pressure: facts.pressure };
    const now = Date.now();
    if (!force && this.lastReported && jsonEqual(this.lastReported.status, comparable) && now - this.lastReported.atMs < nodeStatusReportIntervalMs) return;
    let previous: Node['status'] | undefined;
    try {
      previous = (await this.nodes.get(undefined, this.options.nodeName)).status;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // Deleted under us: register again, as upstream's kubelet does after a restart.
      return this.register(runtimeName);
    }
    await this.nodes.patch(undefined, this.options.nodeName, { status: nodeStatus(facts, now, previous?.conditions ?? []) }, 'strategic', { subresource: 'status' });
    this.lastReported = { status: comparable, atMs: now };
  }
}

