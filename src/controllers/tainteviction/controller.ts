// Upstream's taint eviction controller (pkg/controller/tainteviction/taint_eviction.go): pods on a
// node with NoExecute taints they do not tolerate are deleted at once; pods tolerating them for
// tolerationSeconds are deleted when that runs out, unless the taint goes first. Each deleted pod
// first gets the DisruptionTarget condition, so its owner can tell why it went.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import { rfc3339, type Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { ensureNodeNameIndex, podsOnNode } from '../nodelifecycle/pods-on-node.js';
import { matchingTolerations, minTolerationMs, noExecuteTaints } from './tolerations.js';

/** Tries of one pod's condition-and-delete before giving up until the pod changes again (upstream's retries). */
export const deletePodRetries = 5;
const deleteRetryDelayMs = 10;

interface ScheduledEviction {
  createdAtMs: number;
  fireAtMs: number;
  /** Deleted already: kept so a later update does not schedule it again, until the pod is gone. */
  done: boolean;
}

export interface TaintEvictionControllerOptions {
  nodes: InformerView;
  pods: InformerView;
  podClient: Pick<ResourceClient, 'get' | 'patch' | 'delete'>;
  recorder: EventRecorder;
  clock: Clock;
}

export class TaintEvictionController {
  readonly nodeQueue = new WorkQueue<string>({ name: 'taint_eviction_nodes' });
  readonly podQueue = new WorkQueue<string>({ name: 'taint_eviction_pods' });
  /** Pod keys whose eviction time may have come (upstream's TimedWorkerQueue). */
  readonly evictionQueue = new WorkQueue<string>({ name: 'taint_eviction' });
  readonly scheduled = new Map<string, ScheduledEviction>();
  /** NoExecute taints of tainted nodes, as last handled. */
  private readonly taintedNodes = new Map<string, Taint[]>();

  constructor(private readonly options: TaintEvictionControllerOptions) {
    ensureNodeNameIndex(options.pods);
    options.nodes.addEventHandler({
      onAdd: (node) => {
        if (noExecuteTaints((node as Node).spec?.taints).length > 0) this.nodeQueue.add(node.metadata?.name ?? '');
      },
      onUpdate: (oldNode, newNode) => {
        if (JSON.stringify(noExecuteTaints((oldNode as Node).spec?.taints)) !== JSON.stringify(noExecuteTaints((newNode as Node).spec?.taints))) this.nodeQueue.add(newNode.metadata?.name ?? '');
      },
      onDelete: (node) => this.nodeQueue.add(unwrapDeleted(node).metadata?.name ?? ''),
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.enqueuePod(pod),
      onUpdate: (oldPod, newPod) => {
        const before = oldPod as Pod;
        const after = newPod as Pod;
        if (before.spec?.nodeName === after.spec?.nodeName && JSON.stringify(before.spec?.tolerations ?? []) === JSON.stringify(after.spec?.tolerations ?? [])) return;
        this.enqueuePod(newPod);
      },
      onDelete: (pod) => this.enqueuePod(unwrapDeleted(pod)),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.nodes.waitForSync()) || !(await this.options.pods.waitForSync())) return;
    await Promise.all([
      runWorkers(this.nodeQueue, workers, (name) => this.handleNodeUpdate(name)),
      runWorkers(this.podQueue, workers, (key) => this.handlePodUpdate(key)),
      runWorkers(this.evictionQueue, workers, (key) => this.processEviction(key)),
    ]);
  }

  shutDown(): void {
    this.nodeQueue.shutDown();
    this.podQueue.shutDown();
    this.evictionQueue.shutDown();
  }

  async handleNodeUpdate(name: string): Promise<void> {
    const node = this.options.nodes.cache.get(name) as Node | undefined;
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    // Recorded before looking at pods, so a pod update racing this sees the new taints.
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = podsOnNode(this.options.pods, name);
    const now = this.options.clock.now();
    for (const pod of pods) {
      const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (taints.length === 0) this.cancelWithEvent(key, pod);
      else this.processPodOnNode(key, pod, taints, now);
    }
  }

  async handlePodUpdate(key: string): Promise<void> {
    const pod = this.options.pods.cache.get(key) as Pod | undefined;
    if (!pod) {
      this.cancelWithEvent(key, undefined);
      return;
    }
    const taints = pod.spec?.nodeName ? this.taintedNodes.get(pod.spec.nodeName) : undefined;
    // An untainted node (or one whose taints went, cancelling evictions then): nothing to do.
    if (!taints) return;
    this.processPodOnNode(key, pod, taints, this.options.clock.now());
  }

  private processPodOnNode(key: string, pod: Pod, taints: readonly Taint[], now: number): void {
    if (taints.length === 0) return this.cancelWithEvent(key, pod);
    const used = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!used) {
      // Not tolerated at all: deleted right away, replacing any later deletion.
      this.cancelWithEvent(key, pod);
      this.schedule(key, now, now);
      return;
    }
    const tolerationMs = minTolerationMs(used);
    if (tolerationMs < 0) return this.cancelWithEvent(key, pod);
    let startMs = now;
    const existing = this.scheduled.get(key);
    if (existing) {
      if (existing.done) return;
      // An eviction already counting down keeps its time, as upstream: later taint or toleration changes do not restart it.
      startMs = existing.createdAtMs;
      if (startMs < now) return;
      this.cancelWithEvent(key, pod);
    }
    this.schedule(key, startMs, now + tolerationMs);
  }

  private schedule(key: string, createdAtMs: number, fireAtMs: number): void {
    if (this.scheduled.has(key)) return;
    this.scheduled.set(key, { createdAtMs, fireAtMs, done: false });
    this.evictionQueue.addAfter(key, Math.max(0, fireAtMs - this.options.clock.now()));
  }

  private cancelWithEvent(key: string, pod: Pod | undefined): void {
    const existing = this.scheduled.get(key);
    if (!existing) return;
    this.scheduled.delete(key);
    if (existing.done) return;
    this.options.recorder.event(podRef(key, pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** Deletes the pod if its time has come; otherwise waits for it. */
  async processEviction(key: string): Promise<void> {
    const entry = this.scheduled.get(key);
    if (!entry || entry.done) return;
    const waitMs = entry.fireAtMs - this.options.clock.now();
    if (waitMs > 0) {
      this.evictionQueue.addAfter(key, waitMs);
      return;
    }
    this.options.recorder.event(podRef(key, this.options.pods.cache.get(key) as Pod | undefined), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    let lastError: unknown;
    for (let attempt = 0; attempt < deletePodRetries; attempt++) {
      try {
        await this.addConditionAndDeletePod(key);
        entry.done = true;
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, deleteRetryDelayMs));
      }
    }
    // Forgotten, so the pod's next update schedules it again (upstream drops failed work too).
    this.scheduled.delete(key);
    throw lastError;
  }

  private async addConditionAndDeletePod(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    let pod: Pod;
    try {
      pod = (await this.options.podClient.get(namespace, name)) as Pod;
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const has = pod.status?.conditions?.some((condition) => condition.type === 'DisruptionTarget' && condition.status === 'True' && condition.reason === 'DeletionByTaintManager');
    if (!has) {
      const condition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.options.clock.now()) };
      await this.options.podClient.patch(namespace, name, { metadata: { uid: pod.metadata?.uid }, status: { conditions: [condition] } }, 'strategic', { subresource: 'status' });
    }
    try {
      await this.options.podClient.delete(namespace, name, { preconditions: { uid: pod.metadata?.uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private enqueuePod(pod: KubeObject): void {
    if (pod.metadata?.name) this.podQueue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`);
  }
}

function podRef(key: string, pod: Pod | undefined): KubeObject {
  if (pod) return pod as unknown as KubeObject;
  const slash = key.indexOf('/');
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: key.slice(0, slash), name: key.slice(slash + 1) } };
}
