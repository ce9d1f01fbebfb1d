// Pods bound to the agent's nodes: one informer on bound pods (spec.nodeName!=), keys queued,
// a fixed number of workers writing pods/status from simulatePod, and deleting pods whose
// deletion was asked for once their containers are stopped (at once: see README.md).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../api/object.js';
import { DeletedFinalStateUnknown, isConflict, isNotFound, ItemExponentialRateLimiter, objectKey, splitKey, WorkQueue, type ResourceClient, type RestClient, type SharedInformer, type SharedInformerFactory } from '../client/index.js';
import type { ManagedNode } from './node-registrar.js';
import { isTerminalPhase, simulateDeletion, simulatePod, type SimContext } from './pod-status.js';
import { podsResource } from './resources.js';

type PodObject = Pod & KubeObject;

/** Failed syncs of one pod retried this many times before it waits for its next change. */
export const podSyncMaxRetries = 8;
const retryBaseDelayMs = 100;
const retryMaxDelayMs = 30_000;
/** A pod that found its node's pod CIDR full looks again after this long. */
const noAddressRetryMs = 10_000;
/** Wakes are a little late on purpose: statuses are computed to the second. */
const wakeSlackMs = 20;
const byNodeIndex = 'sim-node';

export interface PodWorkerOptions {
  client: RestClient;
  informers: SharedInformerFactory;
  nodes: ReadonlyMap<string, ManagedNode>;
  /** A node whose kubelet is "hung" (stop-heartbeat): its pods are left as they are. */
  frozen(nodeName: string): boolean;
  workers: number;
  log(message: string): void;
}

export class PodWorker {
  private readonly pods: ResourceClient<PodObject>;
  private readonly informer: SharedInformer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'sim-pods', rateLimiter: new ItemExponentialRateLimiter<string>(retryBaseDelayMs, retryMaxDelayMs) });
  /** Which node's allocator holds a pod's address, by pod uid. */
  private readonly addressOwner = new Map<string, string>();
  private running: Promise<void> | undefined;
  /** Status writes and deletions done, for logs and benchmarks. */
  statusWrites = 0;
  deletions = 0;

  constructor(private readonly options: PodWorkerOptions) {
    this.pods = options.client.resource<PodObject>(podsResource);
    this.informer = options.informers.forResource<PodObject>(podsResource, { fieldSelector: 'spec.nodeName!=' });
    this.informer.addIndexer(byNodeIndex, (pod) => [pod.spec?.nodeName ?? '']);
    this.informer.addEventHandler({
      onAdd: (pod) => this.enqueue(pod),
      onUpdate: (_old, pod) => this.enqueue(pod),
      onDelete: (object) => this.released(object instanceof DeletedFinalStateUnknown ? object.obj : object),
    });
  }

  /** Waits for the pod list, re-reserves addresses pods already report (an agent restart), then starts the workers. */
  async start(): Promise<void> {
    await this.informer.waitForSync();
    for (const pod of this.informer.cache.list()) {
      const node = this.options.nodes.get(pod.spec?.nodeName ?? '');
      const uid = pod.metadata?.uid;
      const ip = pod.status?.podIP;
      if (!node || !uid || !ip || pod.spec?.hostNetwork || isTerminalPhase(pod.status?.phase)) continue;
      if (node.ips.reserve(uid, ip)) this.addressOwner.set(uid, node.name);
    }
    this.running = Promise.all(Array.from({ length: this.options.workers }, () => this.worker())).then(() => undefined);
  }

  /** Queues every pod of a node again (its heartbeat resumed). */
  resyncNode(nodeName: string): void {
    for (const pod of this.informer.cache.byIndex(byNodeIndex, nodeName)) this.queue.add(objectKey(pod));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
  }

  private enqueue(pod: PodObject): void {
    if (this.options.nodes.has(pod.spec?.nodeName ?? '')) this.queue.add(objectKey(pod));
  }

  private released(pod: PodObject): void {
    const uid = pod.metadata?.uid ?? '';
    const nodeName = this.addressOwner.get(uid);
    if (nodeName === undefined) return;
    this.addressOwner.delete(uid);
    this.options.nodes.get(nodeName)?.ips.release(uid);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.sync(key);
        this.queue.forget(key);
      } catch (error) {
        if (this.queue.numRequeues(key) < podSyncMaxRetries) {
          if (!isConflict(error)) this.options.log(`pod ${key}: ${(error as Error).message}; retrying`);
          this.queue.addRateLimited(key);
        } else {
          this.options.log(`pod ${key}: giving up after ${podSyncMaxRetries} retries: ${(error as Error).message}`);
          this.queue.forget(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async sync(key: string): Promise<void> {
    const pod = this.informer.cache.get(key);
    if (!pod) return;
    const node = this.options.nodes.get(pod.spec?.nodeName ?? '');
    if (!node || this.options.frozen(node.name)) return;
    const deleting = Boolean(pod.metadata?.deletionTimestamp);
    // An ended pod holds no address and needs nothing more, until its deletion is to be finished.
    if (isTerminalPhase(pod.status?.phase)) return deleting ? this.remove(pod) : undefined;
    const uid = pod.metadata?.uid ?? '';
    const podIP = pod.spec?.hostNetwork ? node.address : node.ips.allocate(uid);
    if (podIP === undefined) {
      this.options.log(`pod ${key}: no free address left in ${node.podCidr}`);
      this.queue.addAfter(key, noAddressRetryMs);
      return;
    }
    if (!pod.spec?.hostNetwork) this.addressOwner.set(uid, node.name);
    const context: SimContext = { nowMs: Date.now(), hostIP: node.address, podIP };
    if (deleting) return this.finishDeletion(pod, context);
    const result = simulatePod(pod, context);
    await this.writeStatus(pod, result.status);
    if (result.terminal) this.released(pod);
    if (result.wakeAtMs !== undefined) this.queue.addAfter(key, Math.max(0, result.wakeAtMs - Date.now()) + wakeSlackMs);
  }

  /** kubelet: stop the containers, report the terminal status, then remove the pod with grace 0. */
  private async finishDeletion(pod: PodObject, context: SimContext): Promise<void> {
    await this.writeStatus(pod, simulateDeletion(pod, context).status);
    await this.remove(pod);
  }

  private async remove(pod: PodObject): Promise<void> {
    const { namespace, name } = splitKey(objectKey(pod));
    try {
      await this.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
      this.deletions++;
    } catch (error) {
      // Gone already, or replaced by a new pod of the same name (the uid precondition failed).
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
    this.released(pod);
  }

  private async writeStatus(pod: PodObject, status: Pod['status']): Promise<void> {
    if (jsonEqual(pod.status, status)) return;
    const { namespace } = splitKey(objectKey(pod));
    try {
      await this.pods.updateStatus(namespace, { ...structuredClone(pod), status } as PodObject);
      this.statusWrites++;
    } catch (error) {
      // A pod deleted meanwhile needs no status; its delete event releases its address.
      if (!isNotFound(error)) throw error;
    }
  }
}
