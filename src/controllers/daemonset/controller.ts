// Upstream's DaemonSetsController (pkg/controller/daemon/daemon_controller.go): one pod per
// eligible node, pinned to it by node affinity and bound by the default scheduler. Handlers map
// pods, revisions and nodes to DaemonSets; sync(key) builds the revision history, creates and
// deletes pods (manage), rolls out updates, trims history and writes the status.
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import { isConflict, isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { canonicalJson } from '../common/hash.js';
import { claimObjects, controllerOf, newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { ControllerExpectations } from '../common/expectations.js';
import { isPodReady, isPodTerminal } from '../common/pod-util.js';
import { podFromTemplate, podNamePrefix } from '../common/pod-template.js';
import { RevisionHistory, type RevisionClient } from '../history/history.js';
import { controllerRevisionHashLabel } from '../history/revision.js';
import type { DaemonSet, Node, Pod } from '../history/types.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { FailedPodsBackoff } from './backoff.js';
import { nodeShouldRunDaemonPod, pinToNode, targetNodeName } from './eligibility.js';
import { cleanupHistory, constructHistory, daemonSetApiVersion, daemonSetKind } from './history.js';
import { podsShouldBeOnNode } from './manage.js';
import { daemonPodTemplate } from './pods.js';
import { rollingUpdatePlan } from './rolling.js';
import { countDaemonStatus, nextDaemonStatus } from './status.js';

/** Upstream's BurstReplicas: creations or deletions started per sync. */
export const burstReplicas = 250;
/** Upstream's SlowStartInitialBatchSize: creations start one at a time and double per batch. */
export const slowStartInitialBatchSize = 1;
/** Upstream's StatusUpdateRetries: a conflicting status write is retried once with a fresh read. */
export const statusUpdateRetries = 1;

export interface DaemonSetControllerOptions {
  daemonSets: InformerView;
  pods: InformerView;
  nodes: InformerView;
  revisions: InformerView;
  daemonSetClient: Pick<ResourceClient<DaemonSet>, 'get' | 'updateStatus'>;
  podClient: Pick<ResourceClient<Pod>, 'create' | 'delete' | 'patch'>;
  revisionClient: RevisionClient;
  recorder: EventRecorder;
  clock: Clock;
}

export class DaemonSetsController {
  readonly queue = new WorkQueue<string>({ name: 'daemonset' });
  readonly expectations: ControllerExpectations;
  private readonly history: RevisionHistory;
  private readonly backoff = new FailedPodsBackoff();

  constructor(private readonly options: DaemonSetControllerOptions) {
    this.expectations = new ControllerExpectations(options.clock);
    this.history = new RevisionHistory(options.revisions, options.revisionClient);
    options.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (object) => {
        const ds = unwrapDeleted(object);
        this.expectations.deleteExpectations(keyOf(ds));
        this.enqueue(ds);
      },
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod as Pod),
      onUpdate: (old, pod) => this.updatePod(old as Pod, pod as Pod),
      onDelete: (pod) => this.deletePod(unwrapDeleted(pod) as Pod),
    });
    options.revisions.addEventHandler({
      onAdd: (revision) => this.enqueueOwnerOrMatching(revision),
      onUpdate: (_old, revision) => this.enqueueOwnerOrMatching(revision),
      onDelete: (revision) => this.enqueueOwnerOrMatching(unwrapDeleted(revision)),
    });
    options.nodes.addEventHandler({
      onAdd: (node) => {
        for (const ds of this.allDaemonSets()) if (nodeShouldRunDaemonPod(node as Node, ds).shouldRun) this.enqueue(ds);
      },
      onUpdate: (old, node) => this.updateNode(old as Node, node as Node),
      // Pods bound to a removed node are the pod GC's; desiredNumberScheduled changes now.
      onDelete: () => {
        for (const ds of this.allDaemonSets()) this.enqueue(ds);
      },
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.daemonSets, this.options.pods, this.options.nodes, this.options.revisions]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  private allDaemonSets(): DaemonSet[] {
    return this.options.daemonSets.cache.list() as DaemonSet[];
  }

  private enqueue(ds: DaemonSet): void {
    if (ds.metadata?.name) this.queue.add(keyOf(ds));
  }

  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): DaemonSet | undefined {
    if (ref.kind !== daemonSetKind) return undefined;
    const ds = this.options.daemonSets.cache.get(`${namespace}/${ref.name}`) as DaemonSet | undefined;
    return ds?.metadata?.uid === ref.uid ? ds : undefined;
  }

  private daemonSetsMatching(object: Pod): DaemonSet[] {
    return (this.options.daemonSets.cache.byIndex('namespace', object.metadata?.namespace ?? '') as DaemonSet[]).filter((ds) => {
      const selector = safeSelector(ds);
      return selector !== undefined && !selector.isEmpty() && selector.matches(object.metadata?.labels);
    });
  }

  private enqueueOwnerOrMatching(object: Pod): void {
    const ref = controllerOf(object);
    if (ref) {
      const ds = this.resolveControllerRef(object.metadata?.namespace, ref);
      if (ds) this.enqueue(ds);
      return;
    }
    for (const ds of this.daemonSetsMatching(object)) this.enqueue(ds);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const ds = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.daemonSetsMatching(pod)) this.enqueue(ds);
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    const refChanged = JSON.stringify(oldRef) !== JSON.stringify(ref);
    if (refChanged && oldRef) {
      const oldDs = this.resolveControllerRef(old.metadata?.namespace, oldRef);
      if (oldDs) this.enqueue(oldDs);
    }
    if (ref) {
      const ds = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!ds) return;
      this.enqueue(ds);
      const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old as never) && isPodReady(pod as never) && minReadySeconds > 0) this.queue.addAfter(keyOf(ds), (minReadySeconds + 1) * 1000);
      return;
    }
    const labelsChanged = canonicalJson(old.metadata?.labels ?? {}) !== canonicalJson(pod.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const ds of this.daemonSetsMatching(pod)) this.enqueue(ds);
  }

  private deletePod(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const ds = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds));
    this.enqueue(ds);
  }

  private updateNode(old: Node, node: Node): void {
    if (nodeUpdateIrrelevant(old, node)) return;
    for (const ds of this.allDaemonSets()) {
      const before = nodeShouldRunDaemonPod(old, ds);
      const after = nodeShouldRunDaemonPod(node, ds);
      if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) this.enqueue(ds);
    }
  }

  private canAdopt(ds: DaemonSet): () => Promise<boolean> {
    return async () => {
      try {
        const fresh = await this.options.daemonSetClient.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
        return fresh.metadata?.uid === ds.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    };
  }

  /** The DaemonSet's pods by the node they are on or meant for (upstream's getNodesToDaemonPods). */
  private async nodesToDaemonPods(ds: DaemonSet, selector: LabelSelector, includeDeletedTerminal: boolean): Promise<Map<string, Pod[]>> {
    const candidates = this.options.pods.cache.byIndex('namespace', ds.metadata?.namespace ?? '') as Pod[];
    const pods = await claimObjects(candidates, {
      owner: ds,
      ownerApiVersion: daemonSetApiVersion,
      ownerKind: daemonSetKind,
      matches: (pod) => selector.matches(pod.metadata?.labels),
      client: this.options.podClient,
      canAdopt: this.canAdopt(ds),
    });
    const byNode = new Map<string, Pod[]>();
    for (const pod of pods) {
      // Finished and being removed by the kubelet or the pod GC: nothing left for us to do.
      if (!includeDeletedTerminal && isPodTerminal(pod as never) && pod.metadata?.deletionTimestamp) continue;
      const nodeName = targetNodeName(pod);
      if (nodeName === undefined) continue;
      const list = byNode.get(nodeName);
      if (list) list.push(pod);
      else byNode.set(nodeName, [pod]);
    }
    return byNode;
  }

  async sync(key: string): Promise<void> {
    const cached = this.options.daemonSets.cache.get(key) as DaemonSet | undefined;
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const ds = structuredClone(cached);
    const nodes = this.options.nodes.cache.list() as Node[];
    const selector = safeSelector(ds);
    if (!selector) return;
    if (selector.isEmpty()) {
      this.options.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Its history may already be gone or orphaned: status could not be trusted.
    if (ds.metadata?.deletionTimestamp) return;
    const { current, old } = await constructHistory(ds, {
      history: this.history,
      revisionClient: this.options.revisionClient,
      bumpCollisionCount: (target) => this.bumpCollisionCount(target),
    });
    const hash = current.metadata?.labels?.[controllerRevisionHashLabel] ?? '';
    if (!this.expectations.satisfiedExpectations(key)) {
      // Writes of an earlier pass are not all seen yet: only refresh the status.
      await this.updateStatus(ds, nodes, selector, hash, false);
      return;
    }
    let error: unknown;
    try {
      await this.manage(ds, nodes, selector, hash);
      if (this.expectations.satisfiedExpectations(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        const nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
        const plan = rollingUpdatePlan(ds, nodes, nodeToPods, hash, this.options.clock.now());
        await this.syncNodes(ds, plan.deletePods, plan.createOnNodes, hash);
      }
      const allPods = [...(await this.nodesToDaemonPods(ds, selector, true)).values()].flat();
      await cleanupHistory(ds, old, allPods, this.history);
    } catch (caught) {
      error = caught;
    }
    await this.updateStatus(ds, nodes, selector, hash, true);
    if (error !== undefined) throw error;
  }

  private async manage(ds: DaemonSet, nodes: Node[], selector: LabelSelector, hash: string): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
    const createOn: string[] = [];
    const deletePods: string[] = [];
    const context = {
      backoff: this.backoff,
      nowMs: this.options.clock.now(),
      warn: (reason: string, message: string) => this.options.recorder.event(ds, 'Warning', reason, message),
      enqueueAfter: (delayMs: number) => this.queue.addAfter(keyOf(ds), delayMs),
    };
    const nodeNames = new Set<string>();
    for (const node of nodes) {
      nodeNames.add(node.metadata?.name ?? '');
      const result = podsShouldBeOnNode(node, nodeToPods.get(node.metadata?.name ?? ''), ds, hash, context);
      if (result.create) createOn.push(node.metadata?.name ?? '');
      deletePods.push(...result.deletePods);
    }
    // Unbound pods meant for a node that no longer exists would never be scheduled nor collected.
    for (const [nodeName, pods] of nodeToPods) {
      if (nodeNames.has(nodeName)) continue;
      for (const pod of pods) if (!pod.spec?.nodeName) deletePods.push(pod.metadata?.name ?? '');
    }
    await this.syncNodes(ds, deletePods, createOn, hash);
  }

  /** Creates pods on nodes (slow start) and deletes pods, at most burstReplicas of each. */
  private async syncNodes(ds: DaemonSet, deletePods: readonly string[], createOn: readonly string[], hash: string): Promise<void> {
    const key = keyOf(ds);
    const createCount = Math.min(createOn.length, burstReplicas);
    const deleteCount = Math.min(deletePods.length, burstReplicas);
    this.expectations.setExpectations(key, createCount, deleteCount);
    const errors: unknown[] = [];
    const template = daemonPodTemplate(ds, hash);
    const ref = newControllerRef(ds, daemonSetApiVersion, daemonSetKind);
    const namespace = ds.metadata?.namespace ?? '';
    let batch = Math.min(createCount, slowStartInitialBatchSize);
    for (let position = 0; position < createCount; position += batch, batch = Math.min(2 * batch, createCount - position)) {
      const errorsBefore = errors.length;
      await Promise.all(
        createOn.slice(position, position + batch).map(async (nodeName) => {
          const pod = podFromTemplate(template as never, namespace, podNamePrefix(ds.metadata?.name ?? ''), ref) as unknown as Pod;
          pinToNode(pod.spec!, nodeName);
          try {
            const created = await this.options.podClient.create(namespace, pod);
            this.options.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
          } catch (error) {
            // In a Terminating namespace every later creation fails too; the namespace controller wins.
            if (isNamespaceTerminating(error)) return;
            this.options.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(error as Error).message}`);
            this.expectations.creationObserved(key);
            errors.push(error);
          }
        }),
      );
      const skipped = createCount - (position + batch);
      if (errors.length > errorsBefore && skipped > 0) {
        // Creations never attempted will never be observed; the next sync retries them.
        this.expectations.lowerExpectations(key, skipped, 0);
        break;
      }
    }
    await Promise.all(
      deletePods.slice(0, deleteCount).map(async (name) => {
        try {
          await this.options.podClient.delete(namespace, name);
          this.options.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (error) {
          this.expectations.deletionObserved(key);
          if (isNotFound(error)) return;
          this.options.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${(error as Error).message}`);
          errors.push(error);
        }
      }),
    );
    if (errors.length > 0) throw new Error(errors.map((error) => (error as Error).message).join('; '));
  }

  private async updateStatus(ds: DaemonSet, nodes: Node[], selector: LabelSelector, hash: string, updateObservedGeneration: boolean): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector, false);
    const counts = countDaemonStatus(ds, nodes, nodeToPods, hash, this.options.clock.now());
    let current = ds;
    for (let attempt = 0; ; attempt++) {
      const status = nextDaemonStatus(current, counts, updateObservedGeneration);
      if (!status) break;
      try {
        await this.options.daemonSetClient.updateStatus(current.metadata?.namespace, { ...structuredClone(current), status });
        break;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error) || attempt >= statusUpdateRetries) throw error;
      }
      current = await this.options.daemonSetClient.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
    }
    // Availability follows readiness after minReadySeconds: look again then.
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) this.queue.addAfter(keyOf(ds), minReadySeconds * 1000);
  }

  private async bumpCollisionCount(ds: DaemonSet): Promise<void> {
    const fresh = await this.options.daemonSetClient.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
    fresh.status = { ...(fresh.status ?? {}), collisionCount: (fresh.status?.collisionCount ?? 0) + 1 } as never;
    await this.options.daemonSetClient.updateStatus(fresh.metadata?.namespace, fresh);
  }
}

function keyOf(ds: { metadata?: { namespace?: string; name?: string } }): string {
  return `${ds.metadata?.namespace}/${ds.metadata?.name}`;
}

function safeSelector(ds: DaemonSet): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(ds.spec?.selector);
  } catch {
    return undefined;
  }
}

/** Only heartbeats or the resourceVersion changed (upstream's shouldIgnoreNodeUpdate). */
function nodeUpdateIrrelevant(old: Node, node: Node): boolean {
  const strip = (n: Node) => {
    const copy = structuredClone(n);
    delete copy.metadata?.resourceVersion;
    delete copy.metadata?.managedFields;
    for (const condition of copy.status?.conditions ?? []) delete condition.lastHeartbeatTime;
    return canonicalJson(copy);
  };
  return strip(old) === strip(node);
}
