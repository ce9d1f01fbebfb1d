// kube-scheduler's loop: pop a pod, run its profile's framework against the cache's live
// snapshot (synchronously, so nothing changes mid-cycle), assume it onto the chosen node and
// bind it in the background while the next pod is scheduled. Failures record upstream's
// FailedScheduling event and PodScheduled=False condition and park the pod in the queue;
// preemption nominates a node and deletes the victims. Informer events reach the cache and the
// queue through the on* handlers (see informers.ts), which never do I/O.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { Framework } from '../framework/framework.js';
import { podKey, podPriority } from '../framework/pod-info.js';
import { Status } from '../framework/status.js';
import { SchedulerCache, CLEAN_ASSUMED_PERIOD_MS } from '../cache/cache.js';
import type { ClusterEvent } from '../queue/events.js';
import {
  BACKOFF_FLUSH_INTERVAL_MS, SchedulingQueue, UNSCHEDULABLE_FLUSH_INTERVAL_MS, type QueuedPodInfo,
} from '../queue/scheduling-queue.js';
import { DEFAULT_SCHEDULER_NAME } from '../registry.js';
import { NO_NODES_AVAILABLE } from '../fit-error.js';
import { scheduleOne } from '../schedule-one.js';
import type { SchedulerApi } from './api.js';
import { nodeSchedulingProperties, podScheduledCondition, preemptionCondition, type Failure } from './conditions.js';

/** The scheduling loop stops popping while this many bindings are in flight. */
export const MAX_BINDINGS_IN_FLIGHT = 1_000;

export interface SchedulerOptions {
  /** One framework per profile, keyed by its schedulerName; the first one's QueueSort orders the queue. */
  frameworks: readonly Framework[];
  api: SchedulerApi;
  /** The pod as the informer holds it now (undefined once deleted): a failed pod is requeued from it. */
  currentPod: (namespace: string, name: string) => Pod | undefined;
  cache?: SchedulerCache;
  /** The queue's retry backoff (KubeSchedulerConfiguration podInitialBackoffSeconds/podMaxBackoffSeconds). */
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  nowMs?: () => number;
  random?: () => number;
  /** Test hook: called after every cycle and binding, with what happened. */
  onCycle?: (pod: Pod, outcome: 'scheduled' | 'bound' | 'unschedulable' | 'error' | 'skipped') => void;
}

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  private readonly frameworks = new Map<string, Framework>();
  private readonly nowMs: () => number;
  private nextStartNodeIndex = 0;
  private bindingsInFlight = 0;
  private readonly background = new Set<Promise<unknown>>();
  private wakeLoop: (() => void) | undefined;

  constructor(private readonly options: SchedulerOptions) {
    const first = options.frameworks[0];
    if (!first) throw new Error('the scheduler needs at least one profile');
    for (const fw of options.frameworks) {
      if (this.frameworks.has(fw.schedulerName)) throw new Error(`duplicate profile for scheduler name "${fw.schedulerName}"`);
      this.frameworks.set(fw.schedulerName, fw);
    }
    this.nowMs = options.nowMs ?? Date.now;
    this.cache = options.cache ?? new SchedulerCache({ nowMs: this.nowMs });
    this.queue = new SchedulingQueue({
      clock: { nowMs: this.nowMs },
      less: (a, b) => first.queueSortLess(a, b),
      preEnqueue: (pod) => this.frameworkFor(pod)?.runPreEnqueuePlugins(pod) ?? Status.success(),
      podInitialBackoffMs: options.podInitialBackoffMs,
      podMaxBackoffMs: options.podMaxBackoffMs,
    });
  }

  get profileNames(): string[] {
    return [...this.frameworks.keys()];
  }

  /** Whether one of our profiles schedules this pod (spec.schedulerName, default-scheduler when empty). */
  responsibleFor(pod: Pod): boolean {
    return this.frameworks.has(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  private frameworkFor(pod: Pod): Framework | undefined {
    return this.frameworks.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  // ---- informer events: only cache and queue changes, never I/O ----

  onPodAdd(pod: Pod): void {
    if (isTerminal(pod)) return;
    if (pod.spec?.nodeName) {
      this.cache.addPod(pod);
      this.queue.assignedPodAdded(pod);
    } else if (this.responsibleFor(pod)) {
      this.queue.add(pod);
    }
    this.wake();
  }

  onPodUpdate(oldPod: Pod, newPod: Pod): void {
    if (newPod.spec?.nodeName) {
      if (!oldPod.spec?.nodeName) {
        // Bound (by us or anyone): it leaves the queue and counts on its node from now on.
        this.queue.delete(oldPod);
        if (!isTerminal(newPod)) {
          this.cache.addPod(newPod);
          this.queue.assignedPodAdded(newPod);
        }
      } else if (isTerminal(newPod)) {
        // Finished pods hold no resources: the scheduler forgets them, as upstream's informer filter drops them.
        this.cache.removePod(newPod);
        this.move({ resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' });
      } else {
        this.cache.updatePod(oldPod, newPod);
        this.move({ resource: 'AssignedPod', action: 'Update', label: 'AssignedPodUpdate' });
      }
      this.wake();
      return;
    }
    if (!this.responsibleFor(newPod)) return;
    // A resync delivers the same version again; an assumed pod is already being bound.
    if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion && oldPod.metadata?.resourceVersion) return;
    if (this.cache.isAssumed(newPod)) return;
    if (isTerminal(newPod)) {
      this.queue.delete(newPod);
      return;
    }
    this.queue.update(oldPod, newPod);
    this.wake();
  }

  onPodDelete(pod: Pod): void {
    if (pod.spec?.nodeName) {
      this.cache.removePod(pod);
      this.move({ resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' });
    } else {
      this.queue.delete(pod);
    }
    this.wake();
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.move({ resource: 'Node', action: 'Add', label: 'NodeAdd' });
  }

  onNodeUpdate(oldNode: Node, newNode: Node): void {
    this.cache.updateNode(newNode);
    // Heartbeats change nothing a plugin reads; only scheduling-relevant changes retry pods.
    if (nodeSchedulingProperties(oldNode) !== nodeSchedulingProperties(newNode)) this.move({ resource: 'Node', action: 'Update', label: 'NodeUpdate' });
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node.metadata?.name ?? '');
  }

  /** A cluster event that may make parked pods schedulable (PVC/PV/StorageClass/CSINode changes, ...). */
  move(event: ClusterEvent): void {
    this.queue.moveAllToActiveOrBackoffQueue(event);
    this.wake();
  }

  // ---- the loop ----

  /**
   * Schedules until the signal aborts (leadership lost or shutdown). The periodic flushes run
   * only while leading, as upstream starts its queue with Run.
   */
  async run(signal: AbortSignal): Promise<void> {
    const timers = [
      setInterval(() => {
        this.queue.flushBackoffQCompleted();
        this.wake();
      }, BACKOFF_FLUSH_INTERVAL_MS),
      setInterval(() => {
        this.queue.flushUnschedulablePodsLeftover();
        this.wake();
      }, UNSCHEDULABLE_FLUSH_INTERVAL_MS),
      setInterval(() => {
        if (this.cache.cleanupAssumedPods().length > 0) this.move({ resource: 'AssignedPod', action: 'Delete', label: 'AssumedPodExpired' });
      }, CLEAN_ASSUMED_PERIOD_MS),
    ];
    const onAbort = (): void => this.wake();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (this.bindingsInFlight >= MAX_BINDINGS_IN_FLIGHT || !this.scheduleNext()) {
          await new Promise<void>((resolve) => (this.wakeLoop = resolve));
          continue;
        }
        // Let informer events and binding responses in between pods.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const timer of timers) clearInterval(timer);
      await this.drain();
    }
  }

  /** Waits for bindings, preemptions and status writes still in flight. */
  async drain(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private wake(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = undefined;
    wake?.();
  }

  private track(promise: Promise<unknown>): void {
    this.background.add(promise);
    void promise.finally(() => this.background.delete(promise));
  }

  /** Runs one scheduling cycle if a pod is waiting; false when activeQ is empty. Binding continues in the background. */
  scheduleNext(): boolean {
    const info = this.queue.pop();
    if (!info) return false;
    const cycle = this.queue.currentSchedulingCycle;
    try {
      this.scheduleOnePod(info);
    } catch (error) {
      // A throwing plugin is a bug, but it must cost one pod a retry, not stop all scheduling.
      const fw = this.frameworkFor(info.pod);
      if (this.cache.isAssumed(info.pod)) this.cache.forgetPod(this.cache.getPod(info.pod)!.pod);
      if (fw) this.failed(fw, info, cycle, { reason: 'SchedulerError', message: (error as Error).message, unschedulablePlugins: new Set() });
      else this.queue.done(info.pod);
    }
    return true;
  }

  private scheduleOnePod(info: QueuedPodInfo): void {
    const pod = info.pod;
    const fw = this.frameworkFor(pod);
    // Upstream's skipPodSchedule: a pod being deleted, or already assumed by an earlier cycle.
    if (!fw || pod.metadata?.deletionTimestamp || this.cache.isAssumed(pod)) {
      this.queue.done(pod);
      this.options.onCycle?.(pod, 'skipped');
      return;
    }
    const cycle = this.queue.currentSchedulingCycle;
    const result = scheduleOne(fw, this.cache.snapshot, pod, {
      startNodeIndex: this.nextStartNodeIndex,
      // scheduleOne is synchronous: the nominator cannot change while it runs.
      nominatedPodsForNode: this.queue.nominator.isEmpty() ? undefined : (nodeName) => this.queue.nominator.podsForNode(nodeName),
      random: this.options.random,
    });
    this.nextStartNodeIndex = result.nextStartNodeIndex;
    if ('error' in result) {
      // No nodes at all is a rejection, not an error, as upstream's ErrNoNodesAvailable; either way
      // no plugin rejected the pod, so it backs off and is retried.
      const reason = result.error.message() === NO_NODES_AVAILABLE ? 'Unschedulable' : 'SchedulerError';
      this.failed(fw, info, cycle, { reason, message: result.error.message(), unschedulablePlugins: new Set() });
      return;
    }
    if ('unschedulable' in result) {
      const { message, unschedulablePlugins, nominatedNodeName, victims } = result.unschedulable;
      if (nominatedNodeName) this.prepareCandidate(fw, pod, nominatedNodeName, victims ?? []);
      this.failed(fw, info, cycle, { reason: 'Unschedulable', message, unschedulablePlugins, nominatedNodeName });
      return;
    }

    const nodeName = result.node;
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName } };
    this.cache.assumePod(assumed);
    const reserve = fw.runReservePlugins(result.state, assumed, nodeName);
    if (!reserve.isSuccess()) {
      this.cache.forgetPod(assumed);
      this.failed(fw, info, cycle, statusFailure(reserve, `running Reserve plugin "${reserve.plugin}"`));
      return;
    }
    const permit = fw.runPermitPlugins(result.state, assumed, nodeName);
    if (permit.status.isRejected() || permit.status.code === 'Error') {
      fw.runUnreservePlugins(result.state, assumed, nodeName);
      this.cache.forgetPod(assumed);
      this.failed(fw, info, cycle, statusFailure(permit.status, `running Permit plugin "${permit.status.plugin}"`));
      return;
    }
    // The pod holds its node for real now; a nomination would reserve the room twice.
    this.queue.nominator.delete(pod);
    this.options.onCycle?.(pod, 'scheduled');
    this.bindingsInFlight++;
    this.track(
      this.bindingCycle(fw, info, cycle, result.state, assumed, nodeName, permit.status.code === 'Wait' ? permit.timeoutMs : 0).finally(() => {
        this.bindingsInFlight--;
        this.wake();
      }),
    );
  }

  private async bindingCycle(fw: Framework, info: QueuedPodInfo, cycle: number, state: CycleState, assumed: Pod, nodeName: string, permitWaitMs: number): Promise<void> {
    let failure: Failure | undefined;
    try {
      if (permitWaitMs > 0) {
        // No in-tree plugin allows a waiting pod early, so a Wait ends in its timeout, as upstream's would.
        await new Promise((resolve) => setTimeout(resolve, permitWaitMs));
        failure = { reason: 'Unschedulable', message: `rejected due to timeout after waiting ${permitWaitMs}ms`, unschedulablePlugins: new Set() };
        return;
      }
      const preBind = await fw.runPreBindPlugins(state, assumed, nodeName);
      if (!preBind.isSuccess()) {
        // The framework already wrapped errors in upstream's "running PreBind plugin" text.
        failure = statusFailure(preBind);
        return;
      }
      const bound = await fw.runBindPlugins(state, assumed, nodeName);
      if (!bound.isSuccess()) {
        failure = statusFailure(bound, `running Bind plugin "${bound.plugin}"`);
        return;
      }
      this.cache.finishBinding(assumed);
      const ns = assumed.metadata?.namespace ?? 'default';
      this.options.api.event({
        involvedObject: info.pod, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${assumed.metadata?.name ?? ''} to ${nodeName}`, component: fw.schedulerName,
      });
      this.options.onCycle?.(info.pod, 'bound');
    } catch (error) {
      failure = { reason: 'SchedulerError', message: (error as Error).message, unschedulablePlugins: new Set() };
    } finally {
      if (failure) {
        fw.runUnreservePlugins(state, assumed, nodeName);
        this.cache.forgetPod(assumed);
        // The room the assumed pod held is free again.
        this.queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: 'Delete', label: 'AssignedPodDelete' });
        this.failed(fw, info, cycle, failure);
      } else {
        this.queue.done(info.pod);
      }
    }
  }

  /**
   * Upstream's handleSchedulingFailure: a FailedScheduling event, the pod back in the queue
   * (from the informer's current copy, unless it was deleted or bound meanwhile), the
   * nomination recorded, and the PodScheduled condition written if it changed.
   */
  private failed(fw: Framework, info: QueuedPodInfo, cycle: number, failure: Failure): void {
    const pod = info.pod;
    this.options.onCycle?.(pod, failure.reason === 'Unschedulable' ? 'unschedulable' : 'error');
    this.options.api.event({ involvedObject: pod, type: 'Warning', reason: 'FailedScheduling', message: failure.message, component: fw.schedulerName });
    const current = this.options.currentPod(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '');
    if (!current || current.metadata?.uid !== pod.metadata?.uid || current.spec?.nodeName) {
      this.queue.done(pod);
      return;
    }
    info.pod = current;
    this.queue.addUnschedulableIfNotPresent(info, cycle, failure.unschedulablePlugins);
    if (failure.nominatedNodeName) this.queue.nominator.add(current, failure.nominatedNodeName);
    this.wake();

    const condition = podScheduledCondition(current, failure, new Date(this.nowMs()));
    const nominationChanged = !!failure.nominatedNodeName && failure.nominatedNodeName !== current.status?.nominatedNodeName;
    if (!condition && !nominationChanged) return;
    this.track(
      this.options.api
        .patchPodStatus(current, {
          ...(condition ? { conditions: [condition] } : {}),
          ...(nominationChanged ? { nominatedNodeName: failure.nominatedNodeName } : {}),
        })
        .catch(() => undefined),
    );
  }

  /**
   * Upstream's prepareCandidate: mark and delete each victim (with a Preempted event), and take
   * the nomination away from lower-priority pods nominated to the same node, since the
   * preemptor's room would otherwise be promised twice.
   */
  private prepareCandidate(fw: Framework, preemptor: Pod, nodeName: string, victims: readonly Pod[]): void {
    for (const victim of victims) {
      const disruption = preemptionCondition(fw.schedulerName, new Date(this.nowMs()));
      this.track(
        this.options.api
          .patchPodStatus(victim, { conditions: [disruption] })
          .catch(() => undefined)
          .then(() => this.options.api.deletePod(victim))
          .then(
            () => this.options.api.event({
              involvedObject: victim, type: 'Normal', reason: 'Preempted', message: `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}`, component: fw.schedulerName,
            }),
            () => undefined,
          ),
      );
    }
    for (const nominated of this.queue.nominator.podsForNode(nodeName)) {
      if (podKey(nominated) === podKey(preemptor) || podPriority(nominated) >= podPriority(preemptor)) continue;
      this.queue.nominator.delete(nominated);
      this.track(this.options.api.patchPodStatus(nominated, { nominatedNodeName: null }).catch(() => undefined));
    }
  }

  /** Pods waiting, for tests and debugging. */
  get pendingCounts(): { active: number; backoff: number; unschedulable: number } {
    return this.queue.lengths;
  }
}

/** `context` prefixes error messages (upstream's "running Bind plugin ..."); rejections speak for themselves. */
function statusFailure(status: Status, context?: string): Failure {
  const rejected = status.isRejected();
  return {
    reason: rejected ? 'Unschedulable' : 'SchedulerError',
    message: rejected || !context ? status.message() : `${context}: ${status.message()}`,
    unschedulablePlugins: rejected && status.plugin ? new Set([status.plugin]) : new Set(),
  };
}
