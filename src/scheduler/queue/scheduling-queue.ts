// The scheduling queue: activeQ (ready, by priority then arrival), backoffQ (retried after an
// exponential backoff), unschedulablePods (parked until a cluster event may help or the
// periodic flush gives up waiting), and pods held back by PreEnqueue (scheduling gates).
// Time comes from an injected clock; the wiring calls the two flushes on their intervals.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { QueuedPodInfoView } from '../framework/interface.js';
import { podKey } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { eventMayHelp, UNSCHEDULABLE_TIMEOUT, type ClusterEvent } from './events.js';
import { KeyedHeap } from './heap.js';
import { Nominator } from './nominator.js';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
/** A pod parked this long is retried even without a helpful event. */
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 5 * 60_000;
/** How often the wiring should call flushBackoffQCompleted / flushUnschedulablePodsLeftover. */
export const BACKOFF_FLUSH_INTERVAL_MS = 1_000;
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;

export interface Clock {
  nowMs(): number;
}

export interface QueuedPodInfo extends QueuedPodInfoView {
  key: string;
  /** When the pod first entered the queue; for latency metrics. */
  initialAttemptTimestampMs: number;
  attempts: number;
  /** Plugins that rejected it last time; decide which events move it. */
  unschedulablePlugins: Set<string>;
  /** Rejected by PreEnqueue (e.g. scheduling gates): parked, not backing off. */
  gated: boolean;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  /** The profile's QueueSort (PrioritySort: priority, then timestamp). */
  less: (a: QueuedPodInfoView, b: QueuedPodInfoView) => boolean;
  /** The profile's PreEnqueue plugins; a non-success keeps the pod out of activeQ. */
  preEnqueue?: (pod: Pod) => Status;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

export class SchedulingQueue {
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done; an update meanwhile must not re-add them. */
  private readonly inFlight = new Set<string>();
  readonly nominator = new Nominator();
  private schedulingCycle = 0;
  /** The cycle during which the last move request happened. */
  private moveRequestCycle = -1;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;

  constructor(private readonly options: SchedulingQueueOptions) {
    this.initialBackoffMs = options.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    const keyOf = (p: QueuedPodInfo): string => p.key;
    this.activeQ = new KeyedHeap(keyOf, options.less);
    this.backoffQ = new KeyedHeap(keyOf, (a, b) => this.backoffExpiryMs(a) < this.backoffExpiryMs(b));
  }

  private now(): number {
    return this.options.clock.nowMs();
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const now = this.now();
    const info: QueuedPodInfo = {
      pod, key: podKey(pod), timestampMs: now, initialAttemptTimestampMs: now, attempts: 0, unschedulablePlugins: new Set(), gated: false,
    };
    this.backoffQ.delete(info.key);
    this.unschedulablePods.delete(info.key);
    this.moveToActiveQ(info);
    this.nominator.add(pod);
  }

  /** Runs PreEnqueue; a gated pod is parked in unschedulablePods until it changes. */
  private moveToActiveQ(info: QueuedPodInfo): boolean {
    const gate = this.options.preEnqueue?.(info.pod);
    info.gated = !!gate && !gate.isSuccess();
    if (info.gated) {
      this.unschedulablePods.set(info.key, info);
      return false;
    }
    this.activeQ.addOrUpdate(info);
    return true;
  }

  /** The next pod to schedule, or undefined when activeQ is empty (the wiring waits). */
  pop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (!info) return undefined;
    info.attempts++;
    this.schedulingCycle++;
    this.inFlight.add(info.key);
    return info;
  }

  /** The cycle number a popped pod was tried in; pass it back on failure. */
  get currentSchedulingCycle(): number {
    return this.schedulingCycle;
  }

  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /**
   * A pod that failed its cycle. Rejected pods park in unschedulablePods unless an event
   * arrived during their cycle (then backoffQ); errored pods (no plugin rejected) back off.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, podSchedulingCycle: number, unschedulablePlugins: ReadonlySet<string> = new Set()): void {
    if (this.activeQ.has(info.key) || this.backoffQ.has(info.key) || this.unschedulablePods.has(info.key)) return;
    this.inFlight.delete(info.key);
    info.timestampMs = this.now();
    info.unschedulablePlugins = new Set(unschedulablePlugins);
    this.nominator.add(info.pod);
    if (this.moveRequestCycle >= podSchedulingCycle || unschedulablePlugins.size === 0) this.backoffQ.addOrUpdate(info);
    else this.unschedulablePods.set(info.key, info);
  }

  /** initial * 2^(attempts-1), capped at max. */
  backoffDurationMs(info: QueuedPodInfo): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < info.attempts; i++) {
      duration *= 2;
      if (duration >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return duration;
  }

  backoffExpiryMs(info: QueuedPodInfo): number {
    return info.timestampMs + this.backoffDurationMs(info);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return this.backoffExpiryMs(info) > this.now();
  }

  /** Call every BACKOFF_FLUSH_INTERVAL_MS: moves pods whose backoff ended to activeQ. */
  flushBackoffQCompleted(): void {
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.isBackingOff(head)) return;
      this.backoffQ.pop();
      this.moveToActiveQ(head);
    }
  }

  /** Call every UNSCHEDULABLE_FLUSH_INTERVAL_MS: retries pods parked longer than the maximum. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    const stale = [...this.unschedulablePods.values()].filter((p) => !p.gated && now - p.timestampMs > this.maxInUnschedulableMs);
    this.movePods(stale, UNSCHEDULABLE_TIMEOUT);
  }

  /** A cluster event: parked pods it may help go to activeQ, or backoffQ if still backing off. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: (pod: Pod) => boolean): void {
    const candidates = [...this.unschedulablePods.values()].filter((p) => !p.gated && (!preCheck || preCheck(p.pod)));
    this.movePods(candidates, event);
    // A pod in flight that fails later must not miss this event.
    this.moveRequestCycle = this.schedulingCycle;
  }

  private movePods(pods: readonly QueuedPodInfo[], event: ClusterEvent): void {
    for (const info of pods) {
      if (!eventMayHelp(event, info.unschedulablePlugins)) continue;
      this.unschedulablePods.delete(info.key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else this.moveToActiveQ(info);
    }
  }

  /** The pending pod changed (labels, tolerations, gates removed, ...). */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    this.nominator.update(oldPod, newPod);
    const active = this.activeQ.get(key);
    if (active) {
      active.pod = newPod;
      this.activeQ.addOrUpdate(active);
      return;
    }
    const backingOff = this.backoffQ.get(key);
    if (backingOff) {
      backingOff.pod = newPod;
      this.backoffQ.addOrUpdate(backingOff);
      return;
    }
    const parked = this.unschedulablePods.get(key);
    if (parked) {
      parked.pod = newPod;
      // A status-only write (our own PodScheduled condition, a nomination) changes nothing the
      // plugins look at; moving on it would retry the pod forever, as upstream's isPodUpdated knows.
      if (!isPodUpdated(oldPod, newPod)) return;
      // Any spec change may be what the pod needed: re-evaluate it now (or after its backoff).
      this.unschedulablePods.delete(key);
      if (!parked.gated && this.isBackingOff(parked)) this.backoffQ.addOrUpdate(parked);
      else this.moveToActiveQ(parked);
      return;
    }
    if (!this.inFlight.has(key)) this.add(newPod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.delete(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulablePods.delete(key);
    this.inFlight.delete(key);
  }

  /** An assigned pod appeared: only pods rejected by plugins that look at other pods move. */
  assignedPodAdded(_pod: Pod): void {
    this.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: 'Add', label: 'AssignedPodAdd' });
  }

  pendingPods(): { active: Pod[]; backoff: Pod[]; unschedulable: Pod[] } {
    return {
      active: this.activeQ.list().map((p) => p.pod),
      backoff: this.backoffQ.list().map((p) => p.pod),
      unschedulable: [...this.unschedulablePods.values()].map((p) => p.pod),
    };
  }

  get lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulablePods.size };
  }
}

/** Whether anything but resourceVersion, generation, managedFields, finalizers and status changed. */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (pod: Pod): string => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, finalizers: _f, ...metadata } = pod.metadata ?? {};
    return JSON.stringify([metadata, pod.spec]);
  };
  return strip(oldPod) !== strip(newPod);
}
