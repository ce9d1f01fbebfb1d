// Upstream's node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
// every nodeMonitorPeriod it judges each node's health from its Lease and Ready condition, marks a
// silent node's conditions Unknown, taints NotReady/Unreachable nodes NoExecute (rate limited per
// zone) and NoSchedule (at once), and marks the pods of a failed node not ready. Evicting pods
// that do not tolerate the NoExecute taints is the taint eviction controller's job.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import { rfc3339, type Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import type { NodeLifecycleSettings } from '../context.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { assessNodeHealth, type HealthResult, type NodeHealth } from './health.js';
import { ZoneTainters } from './disruption.js';
import { labelsToReconcile } from './labels.js';
import type { RateLimitedTimedQueue } from './rate-limited-queue.js';
import { hasTaint, nodeCondition, noScheduleTaintChanges, notReadyNoExecute, swapNodeTaints, unreachableNoExecute } from './taints.js';
import { isExcludedFromDisruptionChecks, zoneKey } from './zones.js';
import { podsOnNode, ensureNodeNameIndex } from './pods-on-node.js';

/** Upstream's defaults (v1.32: the grace period grew from 40 s to 50 s). */
export const defaultNodeLifecycleSettings: Required<NodeLifecycleSettings> = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};
/** How often the NoExecute taint queues are worked (upstream's scheduler.NodeEvictionPeriod). */
export const noExecuteTaintingPeriodMs = 100;
/** Tries of one node's health update before the pass moves on (upstream's NodeHealthUpdateRetry). */
export const nodeHealthUpdateRetries = 5;

export interface NodeLifecycleControllerOptions {
  nodes: InformerView;
  pods: InformerView;
  leases: InformerView;
  nodeClient: Pick<ResourceClient, 'get' | 'update' | 'updateStatus' | 'patch'>;
  podClient: Pick<ResourceClient, 'updateStatus'>;
  recorder: EventRecorder;
  clock: Clock;
  settings?: NodeLifecycleSettings;
}

export class NodeLifecycleController {
  /** Nodes whose NoSchedule taints may need reconciling (upstream's nodeUpdateQueue). */
  readonly nodeQueue = new WorkQueue<string>({ name: 'node_lifecycle_controller' });
  /** Pods bound to a node that may be not ready (upstream's podUpdateQueue). */
  readonly podQueue = new WorkQueue<string>({ name: 'node_lifecycle_controller_pods' });
  readonly settings: Required<NodeLifecycleSettings>;
  private readonly known = new Map<string, Node>();
  private readonly health = new Map<string, NodeHealth>();
  readonly zones: ZoneTainters;
  /** Nodes whose pods could not all be marked not ready; retried on the next pass. */
  private readonly markPodsRetry = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(private readonly options: NodeLifecycleControllerOptions) {
    this.settings = { ...defaultNodeLifecycleSettings, ...definedOnly(options.settings ?? {}) };
    this.zones = new ZoneTainters(options.clock, this.settings);
    ensureNodeNameIndex(options.pods);
    options.nodes.addEventHandler({
      onAdd: (node) => this.nodeQueue.add(node.metadata?.name ?? ''),
      onUpdate: (_old, node) => this.nodeQueue.add(node.metadata?.name ?? ''),
    });
    const enqueuePod = (object: KubeObject): void => {
      const pod = unwrapDeleted(object) as Pod;
      if (pod.spec?.nodeName && pod.metadata?.name) this.podQueue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`);
    };
    options.pods.addEventHandler({ onAdd: enqueuePod, onUpdate: (_old, pod) => enqueuePod(pod) });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.nodes, this.options.pods, this.options.leases]) if (!(await informer.waitForSync())) return;
    if (this.stopped) return;
    this.timers.push(every(this.settings.nodeMonitorPeriodMs, () => this.monitorNodeHealth()));
    this.timers.push(every(noExecuteTaintingPeriodMs, () => this.doNoExecuteTaintingPass()));
    await Promise.all([runWorkers(this.nodeQueue, workers, (name) => this.doNoScheduleTaintingPass(name)), runWorkers(this.podQueue, workers, (key) => this.processPod(key))]);
  }

  shutDown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.nodeQueue.shutDown();
    this.podQueue.shutDown();
  }

  /** One pass over every node: health, NoExecute taints, pods of failed nodes, zone states. */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.options.nodes.cache.list() as Node[];
    const names = new Set(nodes.map((node) => node.metadata?.name ?? ''));
    for (const node of nodes) {
      // A pass over thousands of nodes stops with the controller, not after its last write.
      if (this.stopped) return;
      const name = node.metadata?.name ?? '';
      this.zones.forNode(node);
      if (this.known.has(name)) continue;
      this.options.recorder.event(node as KubeObject, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.known.set(name, node);
      await this.markNodeAsReachable(node);
    }
    for (const [name, node] of this.known) {
      if (names.has(name)) continue;
      this.options.recorder.event(node as KubeObject, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
      this.markPodsRetry.delete(name);
    }

    const zoneConditions = new Map<string, (HealthResult['currentReady'])[]>();
    for (const cached of nodes) {
      if (this.stopped) return;
      const result = await this.updateNodeHealth(cached).catch((error: unknown) => {
        console.error(`node-lifecycle: updating health of node ${cached.metadata?.name}: ${(error as Error).message}`);
        return undefined;
      });
      if (!result) continue;
      const { node, observedReady, currentReady } = result;
      if (!isExcludedFromDisruptionChecks(node)) {
        const zone = zoneKey(node);
        zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), currentReady]);
      }
      if (!currentReady) continue;
      const name = node.metadata?.name ?? '';
      await this.processTaintBasedEviction(node, observedReady.status).catch((error: unknown) => console.error(`node-lifecycle: tainting node ${name}: ${(error as Error).message}`));
      const becameNotReady = currentReady.status !== 'True' && observedReady.status === 'True';
      if (becameNotReady) this.options.recorder.event(node as KubeObject, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (becameNotReady || (this.markPodsRetry.has(name) && observedReady.status !== 'True')) {
        const failed = await this.markPodsNotReady(podsOnNode(this.options.pods, name), name);
        if (failed) this.markPodsRetry.add(name);
        else this.markPodsRetry.delete(name);
      }
    }
    await this.handleDisruption(zoneConditions, nodes);
  }

  /** tryUpdateNodeHealth with upstream's retries: a failed status write is retried on a fresh read. */
  private async updateNodeHealth(cached: Node): Promise<(HealthResult & { node: Node }) | undefined> {
    let node = cached;
    for (let attempt = 1; ; attempt++) {
      const name = node.metadata?.name ?? '';
      const lease = this.options.leases.cache.get(`kube-node-lease/${name}`);
      const result = assessNodeHealth(node, lease, this.health.get(name), {
        nowMs: this.options.clock.now(),
        nodeMonitorGracePeriodMs: this.settings.nodeMonitorGracePeriodMs,
        nodeStartupGracePeriodMs: this.settings.nodeStartupGracePeriodMs,
      });
      if (!result.statusUpdate) {
        this.health.set(name, result.health);
        return { ...result, node };
      }
      try {
        const written = (await this.options.nodeClient.updateStatus(undefined, result.statusUpdate as KubeObject)) as Node;
        this.health.set(name, result.health);
        return { ...result, node: written };
      } catch (error) {
        if (isNotFound(error) || attempt >= nodeHealthUpdateRetries) throw error;
        node = (await this.options.nodeClient.get(undefined, name)) as Node;
      }
    }
  }

  /** Upstream's processTaintBaseEviction: NoExecute taints follow the Ready condition the node reported. */
  private async processTaintBasedEviction(node: Node, observedStatus: string): Promise<void> {
    const name = node.metadata?.name ?? '';
    if (observedStatus === 'False') {
      // Swapped at once from the opposite taint: the node was already judged failed.
      if (hasTaint(node, unreachableNoExecute)) await swapNodeTaints(this.options.nodeClient, this.options.clock, name, [notReadyNoExecute], [unreachableNoExecute]);
      else this.markNodeForTainting(node, notReadyNoExecute);
    } else if (observedStatus === 'Unknown') {
      if (hasTaint(node, notReadyNoExecute)) await swapNodeTaints(this.options.nodeClient, this.options.clock, name, [unreachableNoExecute], [notReadyNoExecute]);
      else this.markNodeForTainting(node, unreachableNoExecute);
    } else if (observedStatus === 'True') {
      await this.markNodeAsReachable(node);
    }
  }

  private markNodeForTainting(node: Node, taint: typeof notReadyNoExecute): void {
    const tainter = this.zones.forNode(node);
    const name = node.metadata?.name ?? '';
    // A node that lost its taint (someone removed it) is queued again.
    if (!hasTaint(node, taint)) tainter.remove(name);
    tainter.add(name, node.metadata?.uid ?? '');
  }

  private async markNodeAsReachable(node: Node): Promise<void> {
    const name = node.metadata?.name ?? '';
    if (hasTaint(node, unreachableNoExecute) || hasTaint(node, notReadyNoExecute)) {
      await swapNodeTaints(this.options.nodeClient, this.options.clock, name, [], [unreachableNoExecute, notReadyNoExecute]).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    this.zones.remove(node);
  }

  /** Upstream's doNoExecuteTaintingPass: taints queued nodes, as fast as each zone's limiter allows. */
  async doNoExecuteTaintingPass(): Promise<void> {
    const due: { name: string; add: typeof notReadyNoExecute; remove: typeof notReadyNoExecute; zone: RateLimitedTimedQueue; uid: string }[] = [];
    for (const tainter of this.zones.all()) {
      tainter.try((value) => {
        const node = this.options.nodes.cache.get(value.value) as Node | undefined;
        if (!node) return { done: true };
        const ready = nodeCondition(node, 'Ready');
        if (!ready) return { done: false, retryAfterMs: 50 };
        // Unreachable and not-ready are exclusive, as the Ready condition's values are.
        if (ready.status === 'False') due.push({ name: value.value, add: notReadyNoExecute, remove: unreachableNoExecute, zone: tainter, uid: value.uid });
        else if (ready.status === 'Unknown') due.push({ name: value.value, add: unreachableNoExecute, remove: notReadyNoExecute, zone: tainter, uid: value.uid });
        return { done: true };
      });
    }
    for (const item of due) {
      try {
        await swapNodeTaints(this.options.nodeClient, this.options.clock, item.name, [item.add], [item.remove]);
      } catch (error) {
        if (isNotFound(error)) continue;
        console.error(`node-lifecycle: tainting node ${item.name}: ${(error as Error).message}`);
        // Queued again so the next pass retries it.
        item.zone.remove(item.name);
        item.zone.add(item.name, item.uid);
      }
    }
  }

  /** Upstream's doNodeProcessingPassWorker: NoSchedule taints mirror the node's conditions at once, and beta labels the stable ones. */
  async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.options.nodes.cache.get(name) as Node | undefined;
    if (!node) return;
    const labels = labelsToReconcile(node);
    if (Object.keys(labels).length > 0) {
      await this.options.nodeClient.patch(undefined, name, { metadata: { labels } }, 'strategic').catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    const { add, remove } = noScheduleTaintChanges(node);
    if (add.length === 0 && remove.length === 0) return;
    try {
      await swapNodeTaints(this.options.nodeClient, this.options.clock, name, add, remove);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Upstream's processPod: a pod that (re)appears on a not-ready node is marked not ready too. */
  async processPod(key: string): Promise<void> {
    const pod = this.options.pods.cache.get(key) as Pod | undefined;
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return;
    const node = this.options.nodes.cache.get(nodeName) as Node | undefined;
    const ready = node && nodeCondition(node, 'Ready');
    if (!ready || ready.status === 'True') return;
    if (await this.markPodsNotReady([pod], nodeName)) throw new Error(`failed to mark pod ${key} not ready`);
  }

  /** Upstream's MarkPodsNotReady: sets each pod's Ready condition False; returns whether any write failed. */
  async markPodsNotReady(pods: readonly Pod[], nodeName: string): Promise<boolean> {
    let failed = false;
    for (const cached of pods) {
      if (cached.spec?.nodeName !== nodeName) continue;
      const ready = cached.status?.conditions?.find((condition) => condition.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const pod = structuredClone(cached) as Pod & { status: { conditions: object[] } };
      pod.status.conditions = (cached.status?.conditions ?? []).map((condition) => (condition.type === 'Ready' ? { ...condition, status: 'False', lastTransitionTime: rfc3339(this.options.clock.now()) } : condition));
      try {
        await this.options.podClient.updateStatus(pod.metadata?.namespace, pod as unknown as KubeObject);
        this.options.recorder.event(pod as unknown as KubeObject, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (error) {
        if (!isNotFound(error)) failed = true;
      }
    }
    return failed;
  }

  /** Upstream's handleDisruption: zone states and rates, and what a change of cluster-wide mode needs. */
  private async handleDisruption(zoneConditions: Map<string, HealthResult['currentReady'][]>, nodes: readonly Node[]): Promise<void> {
    const change = this.zones.update(zoneConditions);
    if (change === 'enteredFullDisruption') {
      // No evictions at all, and the NoExecute taints come off.
      console.error('node-lifecycle: all nodes are not ready; entering master disruption mode');
      for (const node of nodes) await this.markNodeAsReachable(node).catch(() => undefined);
    } else if (change === 'leftFullDisruption') {
      // Every node gets a fresh grace period.
      const now = this.options.clock.now();
      for (const [name, health] of this.health) this.health.set(name, { ...health, probeMs: now, readyTransitionMs: now });
    }
  }
}

/** Runs an async task every periodMs, skipping a tick while the previous run is still going. */
function every(periodMs: number, task: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error: unknown) => console.error(`node-lifecycle: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, periodMs);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
