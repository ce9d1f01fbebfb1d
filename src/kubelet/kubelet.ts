// The node agent: registers its Node, keeps it alive (Lease every 10 s, status on change and at
// least every minute) and runs the pods bound to it on real containers through the runtime.
// Stopping it leaves every container running, for the next agent on the same data dir to adopt.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Node } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../api/object.js';
import { isAlreadyExists, isNotFound, SharedInformerFactory, type RestClient, type ResourceClient } from '../client/index.js';
import { realClock } from '../controllers/common/clock.js';
import { defaultRuntime, type OciRuntimeName } from '../runtime/driver/oci-runtime.js';
import { Runtime } from '../runtime/runtime.js';
import type { CertificateAuthority } from '../pki/certs.js';
import { kubeletClientUser } from '../pki/cluster-pki.js';
import { defaultNetworkList } from '../runtime/sandbox/cni.js';
import { nodesResource, type KubeletContext } from './context.js';
import { leaseRenewIntervalMs, nodeStatusCheckIntervalMs, nodeStatusReportIntervalMs, staticPodCheckIntervalMs } from './limits.js';
import { hostResources, nodeInfo } from './node/host-info.js';
import { NodeLease } from './node/node-lease.js';
import { buildNode, kubeletPort, nodeStatus, type NodeFacts } from './node/node-status.js';
import { issueKubeletServingCert, runtimeLocator, startKubeletServer, type KubeletServer } from './server/index.js';
import { PodWorkers } from './pods/pod-workers.js';
import { MirrorPods } from './static/mirror-pods.js';

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
   * joined by kubeconfig alone) no kubelet server runs: logs and exec need the join flow.
   */
  servingCa?: CertificateAuthority;
  /** The kubelet server's port (upstream's 10250); 0 picks a free one (tests). */
  kubeletPort?: number;
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
  private workers: PodWorkers | undefined;
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
    this.runtime = await Runtime.open({ root, runtime: runtimeName, network: defaultNetworkList({ bridge, podCidr: this.podCidr, ipamDataDir: join(root, 'ipam') }), netnsPrefix });
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
    this.workers = new PodWorkers(context, this.informers);
    this.informers.start();
    await this.workers.start();
    const lease = new NodeLease(this.options.client, { name: this.options.nodeName, uid: () => this.nodeUid });
    const renew = (): void => void lease.renew().catch((error: unknown) => this.log(`renewing the node lease: ${(error as Error).message}`));
    const report = (): void => void this.reportStatus(runtimeName).catch((error: unknown) => this.log(`reporting node status: ${(error as Error).message}`));
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
    await this.workers?.stop();
    this.informers?.shutdown();
    await this.server?.close();
    await this.runtime?.close();
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
    };
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
    const comparable = { ...nodeStatus(facts, 0), conditions: undefined };
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

