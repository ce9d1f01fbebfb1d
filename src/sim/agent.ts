// A kwok-like agent: it registers simulated Nodes, keeps them alive (Lease every 10 s, status
// every minute) and plays the kubelet for pods bound to them (unless runPods is false), writing
// only through the API.
// Everything it knows is in the API objects, so a restarted agent picks up where it left off.
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { DeletedFinalStateUnknown, isNotFound, RestClient, SharedInformerFactory, type SharedInformer } from '../client/index.js';
import { heartbeatStopped } from './behaviour.js';
import { LeaseHeartbeat, StatusHeartbeat } from './heartbeats.js';
import { forEachLimited, registerNodes, type ManagedNode } from './node-registrar.js';
import { nodeNames, simulatedNodeLabel, type SimNodesOptions } from './options.js';
import { PeriodicWriter } from './periodic-writer.js';
import { PodWorker } from './pod-worker.js';
import { leasesResource, nodeLeaseNamespace, nodesResource } from './resources.js';

type NodeObject = Node & KubeObject;

/** The agent's client gets its own rate limit: heartbeats alone are count / renew interval writes a second. */
export function simClient(client: RestClient, options: Pick<SimNodesOptions, 'qps'>): RestClient {
  return new RestClient({ ...client.config, qps: options.qps, burst: options.qps * 2, userAgent: 'k8ts-sim' });
}

export class SimAgent {
  private nodes = new Map<string, ManagedNode>();
  private readonly informers: SharedInformerFactory;
  private readonly nodeInformer: SharedInformer<NodeObject>;
  private leaseWriter: PeriodicWriter | undefined;
  private statusWriter: PeriodicWriter | undefined;
  private podWorker: PodWorker | undefined;
  private statusHeartbeat: StatusHeartbeat | undefined;
  private started = false;

  constructor(private readonly client: RestClient, private readonly options: SimNodesOptions, private readonly log: (message: string) => void = (m) => process.stderr.write(`k8ts sim: ${m}\n`)) {
    this.informers = new SharedInformerFactory(client);
    this.nodeInformer = this.informers.forResource<NodeObject>(nodesResource, { labelSelector: `${simulatedNodeLabel}=true` });
    this.nodeInformer.addEventHandler({
      onUpdate: (old, node) => {
        const name = node.metadata?.name ?? '';
        if (!this.nodes.has(name) || !heartbeatStopped(old.metadata?.annotations) || heartbeatStopped(node.metadata?.annotations)) return;
        // The heartbeat resumes at once, with a full status, and the node's pods catch up.
        this.statusHeartbeat?.resetFull(name);
        this.leaseWriter?.kick(name);
        this.statusWriter?.kick(name);
        this.podWorker?.resyncNode(name);
      },
      // A kubelet whose Node is deleted stops reporting for it (until it is restarted and registers again).
      onDelete: (object) => {
        const name = (object instanceof DeletedFinalStateUnknown ? object.obj : object).metadata?.name ?? '';
        if (this.started) this.forgetNode(name, `node ${name} was deleted; no longer simulating it`);
      },
    });
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  /** Registers (or adopts) the nodes and starts heart-beating and running their pods. */
  async start(): Promise<void> {
    const names = nodeNames(this.options);
    const registerStartMs = performance.now();
    this.nodes = await registerNodes(this.client, {
      names,
      spec: this.options,
      clusterCidr: this.options.clusterCidr,
      nodeCidrMaskSize: this.options.nodeCidrMaskSize,
      concurrency: this.options.heartbeatConcurrency,
    });
    this.log(`${this.nodes.size} nodes registered in ${Math.round(performance.now() - registerStartMs)} ms`);

    const leases = new LeaseHeartbeat(this.client, this.options.leaseDurationSeconds);
    await leases.seed(new Set(this.nodes.keys()));
    this.statusHeartbeat = new StatusHeartbeat(this.client, this.options, (name) => this.nodeInformer.cache.get(name));
    const frozen = (name: string): boolean => heartbeatStopped(this.nodeInformer.cache.get(name)?.metadata?.annotations);
    const onError = (what: string) => (name: string, error: unknown) => {
      if (isNotFound(error)) return this.forgetNode(name, `node ${name} was deleted; no longer simulating it`);
      this.log(`${what} of node ${name}: ${(error as Error).message}`);
    };
    this.leaseWriter = new PeriodicWriter({
      name: 'node-lease',
      intervalMs: this.options.leaseRenewIntervalMs,
      concurrency: this.options.heartbeatConcurrency,
      paused: frozen,
      write: (name) => leases.renew(this.nodes.get(name)!),
      onError: onError('lease renewal'),
    });
    const statusHeartbeat = this.statusHeartbeat;
    this.statusWriter = new PeriodicWriter({
      name: 'node-status',
      intervalMs: this.options.statusReportIntervalMs,
      concurrency: this.options.heartbeatConcurrency,
      paused: frozen,
      write: (name) => statusHeartbeat.report(this.nodes.get(name)!),
      onError: onError('status report'),
    });
    // Without runPods no pod informer is started at all: its watch traffic and status writes are
    // what upstream's scheduler_perf (nodes without a kubelet) does not have.
    if (this.options.runPods) this.podWorker = new PodWorker({ client: this.client, informers: this.informers, nodes: this.nodes, frozen, workers: this.options.podWorkers, log: this.log });
    else this.log('not running pods (--run-pods=false): pods bound to these nodes stay as the scheduler left them');
    this.informers.start();
    await this.nodeInformer.waitForSync();
    this.leaseWriter.addAll([...this.nodes.keys()]);
    this.statusWriter.addAll([...this.nodes.keys()]);
    this.leaseWriter.start();
    this.statusWriter.start();
    await this.podWorker?.start();
    this.started = true;
  }

  ready(): boolean {
    return this.started;
  }

  /** Heartbeat writes and pod writes so far (benchmarks print them). */
  stats(): { leaseRenewals: number; statusReports: number; podStatusWrites: number; podDeletions: number; heartbeatFailures: number } {
    return {
      leaseRenewals: this.leaseWriter?.writes ?? 0,
      statusReports: this.statusWriter?.writes ?? 0,
      podStatusWrites: this.podWorker?.statusWrites ?? 0,
      podDeletions: this.podWorker?.deletions ?? 0,
      heartbeatFailures: (this.leaseWriter?.failures ?? 0) + (this.statusWriter?.failures ?? 0),
    };
  }

  /** Stops; the nodes stay registered (as kwok's) unless deleteOnExit. */
  async stop(): Promise<void> {
    await Promise.all([this.leaseWriter?.stop(), this.statusWriter?.stop(), this.podWorker?.stop()]);
    this.informers.shutdown();
    if (this.options.deleteOnExit) await this.deleteNodes();
  }

  private forgetNode(name: string, message: string): void {
    if (!this.nodes.delete(name)) return;
    this.leaseWriter?.remove(name);
    this.statusWriter?.remove(name);
    this.log(message);
  }

  private async deleteNodes(): Promise<void> {
    const nodes = this.client.resource<NodeObject>(nodesResource);
    const leases = this.client.resource(leasesResource);
    const ignoreNotFound = (error: unknown): void => {
      if (!isNotFound(error)) throw error;
    };
    await forEachLimited([...this.nodes.keys()], this.options.heartbeatConcurrency, async (name) => {
      await nodes.delete(undefined, name).catch(ignoreNotFound);
      // The garbage collector would remove the lease with its owner; do not depend on one running.
      await leases.delete(nodeLeaseNamespace, name).catch(ignoreNotFound);
    });
    this.log(`deleted ${this.nodes.size} nodes`);
  }
}
