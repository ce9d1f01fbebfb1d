// The eviction manager (pkg/kubelet/eviction/eviction_manager.go): every monitoring interval it
// observes the node's signals, compares them with the hard thresholds, keeps the pressure node
// conditions, and when a threshold is met first asks for node-level reclaim (disk), then evicts
// ONE pod — ranked as upstream ranks them — with grace period 0, marking it Failed/Evicted. The
// pod object stays (its controller replaces it). Critical pods are never evicted.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../controllers/common/clock.js';
import { rfc3339 } from '../../controllers/common/clock.js';
import { evictionMonitoringIntervalMs, evictionPodCleanupTimeoutMs } from '../limits.js';
import { admitPod, isCriticalPod, type AdmitResult } from './admission.js';
import { evictedReason, evictionMessage } from './messages.js';
import type { PodStats } from './pod-stats.js';
import { PressureConditions } from './pressure.js';
import { rankForEviction } from './rank.js';
import { reclaimableByNode, type NodeReclaimer } from './reclaimer.js';
import { signalToResource, type Observations, type PressureCondition } from './signals.js';
import { thresholdMet, type Threshold } from './thresholds.js';

/** Hard thresholds evict at once: upstream's immediateEvictionGracePeriodSeconds. */
export const immediateEvictionGracePeriodSeconds = 0;

export interface EvictionConfig {
  /** Hard thresholds (--eviction-hard). */
  thresholds: Threshold[];
  /** --eviction-pressure-transition-period. */
  pressureTransitionPeriodMs: number;
}

/** What the pod worker is asked to do: stop the pod for good and write this terminal status. */
export interface EvictionRequest {
  gracePeriodSeconds: number;
  reason: string;
  message: string;
  condition: PodCondition;
}

export interface EvictionDeps {
  config: EvictionConfig;
  clock: Clock;
  observe(): Promise<Observations>;
  /** Pods admitted and not yet finished (upstream's GetActivePods). */
  activePods(): Pod[];
  podStats(pods: readonly Pod[], options: { disk: boolean }): Promise<Map<string, PodStats>>;
  /** Kills the pod's containers and writes the terminal status; resolves when done. */
  killPod(pod: Pod, request: EvictionRequest): Promise<void>;
  recordPodEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
  recordNodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Conditions changed: the node status should be sent now. */
  onConditionsChanged?(conditions: readonly PressureCondition[]): void;
  reclaimer?: NodeReclaimer;
  log(message: string): void;
}

/** Memory first, as upstream's byEvictionPriority; the rest keep their order. */
function byEvictionPriority(thresholds: readonly Threshold[]): Threshold[] {
  return [...thresholds].sort((a, b) => Number(b.signal === 'memory.available') - Number(a.signal === 'memory.available'));
}

export class EvictionManager {
  private readonly pressure: PressureConditions;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly deps: EvictionDeps) {
    this.pressure = new PressureConditions(deps.clock, deps.config.pressureTransitionPeriodMs);
  }

  /** The pressure conditions now (MemoryPressure, DiskPressure, PIDPressure). */
  conditions(): readonly PressureCondition[] {
    return this.pressure.conditions();
  }

  admit(pod: Pod): AdmitResult {
    return admitPod(pod, this.pressure.conditions());
  }

  /** Observes at once, then every monitoring interval — or right after an eviction, as upstream. */
  start(): void {
    this.stopped = false;
    const loop = (): void => {
      this.synchronize()
        .catch((error: unknown) => {
          this.deps.log(`eviction manager: failed to synchronize: ${(error as Error).message}`);
          return [];
        })
        .then((evicted) => {
          if (!this.stopped) this.timer = setTimeout(loop, evicted.length > 0 ? 0 : evictionMonitoringIntervalMs);
        });
    };
    loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass; returns the pod it evicted, if any. */
  async synchronize(): Promise<Pod[]> {
    const { config } = this.deps;
    if (config.thresholds.length === 0) return [];
    const activePods = this.deps.activePods();
    const observations = await this.deps.observe();
    const met = config.thresholds.filter((t) => {
      const observed = observations[t.signal];
      return observed !== undefined && thresholdMet(t, observed);
    });
    const before = [...this.pressure.conditions()];
    const conditions = this.pressure.observe(met);
    if (before.join() !== conditions.join()) {
      this.deps.log(`eviction manager: node conditions now [${conditions.join(' ')}]`);
      this.deps.onConditionsChanged?.(conditions);
    }
    if (met.length === 0) return [];

    const [toReclaim] = byEvictionPriority(met);
    const resource = signalToResource[toReclaim!.signal];
    this.deps.recordNodeEvent('Warning', 'EvictionThresholdMet', `Attempting to reclaim ${resource}`);
    if (await this.reclaimNodeLevelResources(toReclaim!)) {
      this.deps.log(`eviction manager: able to reduce ${resource} pressure without evicting pods`);
      return [];
    }
    if (activePods.length === 0) return [];

    const stats = await this.deps.podStats(activePods, { disk: resource !== 'memory' && resource !== 'pids' });
    const statsOf = (pod: Pod): PodStats | undefined => stats.get(pod.metadata?.uid ?? '');
    for (const pod of rankForEviction(activePods, toReclaim!.signal, statsOf)) {
      if (isCriticalPod(pod)) continue;
      const message = evictionMessage(resource, pod, statsOf, met, observations);
      const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastTransitionTime: rfc3339(this.deps.clock.now()) };
      this.deps.recordPodEvent(pod, 'Warning', evictedReason, message);
      this.deps.log(`eviction manager: evicting pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${message}`);
      await this.waitForCleanup(this.deps.killPod(pod, { gracePeriodSeconds: immediateEvictionGracePeriodSeconds, reason: evictedReason, message, condition }), pod);
      return [pod];
    }
    this.deps.log('eviction manager: unable to evict any pods from the node');
    return [];
  }

  /** Disk pressure: let the garbage collectors free what they can, then look again. */
  private async reclaimNodeLevelResources(threshold: Threshold): Promise<boolean> {
    const reclaimer = this.deps.reclaimer;
    if (!reclaimer || !reclaimableByNode(threshold.signal)) return false;
    try {
      await reclaimer.reclaim(threshold.signal);
    } catch (error) {
      this.deps.log(`eviction manager: unexpected error when attempting to reduce ${signalToResource[threshold.signal]} pressure: ${(error as Error).message}`);
    }
    const observations = await this.deps.observe();
    return !this.deps.config.thresholds.some((t) => {
      const observed = observations[t.signal];
      return observed !== undefined && thresholdMet(t, observed);
    });
  }

  private async waitForCleanup(kill: Promise<void>, pod: Pod): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.deps.log(`eviction manager: timed out waiting for pod ${pod.metadata?.namespace}/${pod.metadata?.name} to be cleaned up`);
        resolve();
      }, evictionPodCleanupTimeoutMs);
    });
    try {
      await Promise.race([kill.catch((error: unknown) => this.deps.log(`eviction manager: pod ${pod.metadata?.name} failed to evict: ${(error as Error).message}`)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
