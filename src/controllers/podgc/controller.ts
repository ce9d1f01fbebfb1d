// Upstream's pod-garbage-collector (pkg/controller/podgc/gc_controller.go). Every 20 s:
//   - terminated pods beyond --terminated-pod-gc-threshold go, oldest first (evicted first);
//   - terminating pods on a NotReady node tainted node.kubernetes.io/out-of-service go;
//   - pods bound to a node that is gone go, after the node has been missing for 40 s and the API
//     confirms it (DisruptionTarget condition, reason DeletionByPodGC);
//   - terminating pods that were never scheduled go.
// Pods still running are first marked Failed (nothing else would, with no kubelet left), then
// force-deleted with grace period 0.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../client/index.js';
import { rfc3339, type Clock } from '../common/clock.js';
import { isPodTerminal } from '../common/pod-util.js';
import type { InformerView } from '../informer-view.js';

/** Upstream's gcCheckPeriod. */
export const gcCheckPeriodMs = 20_000;
/** Upstream's quarantineTime: how long a node must be missing before its pods are orphans. */
export const quarantineTimeMs = 40_000;
/** Upstream's --terminated-pod-gc-threshold default; 0 turns that part off. */
export const defaultTerminatedPodGcThreshold = 12_500;
/** Deletions in flight at once (upstream deletes each batch in parallel goroutines). */
export const deletesInFlightMax = 20;
export const outOfServiceTaint = 'node.kubernetes.io/out-of-service';
/** Upstream's field manager for the status it applies. */
export const podGcFieldManager = 'PodGC';

export interface PodGcApi {
  /** Server-side apply of the pod's status (phase Failed and perhaps a condition). */
  applyPodStatus(namespace: string, name: string, status: { phase: string; conditions?: PodCondition[] }): Promise<void>;
  /** Delete with grace period 0; NotFound counts as done. */
  forceDelete(namespace: string, name: string): Promise<void>;
  /** Whether the node exists, asked of the API rather than the cache. */
  nodeExists(name: string): Promise<boolean>;
}

export interface PodGcOptions {
  pods: InformerView;
  nodes: InformerView;
  api: PodGcApi;
  clock: Clock;
  terminatedPodThreshold?: number;
}

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Upstream's byEvictionAndCreationTimestamp: evicted pods first, then oldest first, then by name. */
export function byEvictionAndCreation(a: Pod, b: Pod): number {
  const evicted = (pod: Pod) => pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
  if (evicted(a) !== evicted(b)) return evicted(a) ? -1 : 1;
  const created = (pod: Pod) => Date.parse(pod.metadata?.creationTimestamp ?? '') || 0;
  if (created(a) !== created(b)) return created(a) - created(b);
  return podKey(a).localeCompare(podKey(b));
}

export class PodGcController {
  /** Node name → when we first saw pods bound to it while it was missing. */
  private readonly missingSince = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly threshold: number;

  constructor(private readonly options: PodGcOptions) {
    this.threshold = options.terminatedPodThreshold ?? defaultTerminatedPodGcThreshold;
  }

  async run(): Promise<void> {
    if (!(await this.options.pods.waitForSync()) || !(await this.options.nodes.waitForSync())) return;
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const tick = () => {
        if (this.stopped) return resolve();
        this.running = this.gc()
          .catch((error: unknown) => console.error(`pod-garbage-collector: ${(error as Error).message}`))
          .finally(() => {
            if (this.stopped) return resolve();
            this.timer = setTimeout(tick, gcCheckPeriodMs);
          });
      };
      this.wake = resolve;
      tick();
    });
    await this.running;
  }

  private wake: (() => void) | undefined;

  shutDown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  /** One pass; unit tests call it with a fake clock. */
  async gc(): Promise<void> {
    const pods = this.options.pods.cache.list() as Pod[];
    const nodes = this.options.nodes.cache.list() as Node[];
    if (this.threshold > 0) await this.gcTerminated(pods);
    await this.gcTerminating(pods, nodes);
    await this.gcOrphaned(pods, nodes);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: Pod[]): Promise<void> {
    const terminated = pods.filter(isPodTerminal);
    const deleteCount = terminated.length - this.threshold;
    if (deleteCount <= 0) return;
    terminated.sort(byEvictionAndCreation);
    await this.inParallel(terminated.slice(0, deleteCount), (pod) => this.markFailedAndDelete(pod));
  }

  private async gcTerminating(pods: Pod[], nodes: Node[]): Promise<void> {
    const byName = new Map(nodes.map((node) => [node.metadata?.name ?? '', node]));
    const stuck = pods.filter((pod) => {
      if (!pod.metadata?.deletionTimestamp) return false;
      const node = byName.get(pod.spec?.nodeName ?? '');
      return node !== undefined && !isNodeReady(node) && (node.spec?.taints ?? []).some((taint) => taint.key === outOfServiceTaint);
    });
    stuck.sort(byEvictionAndCreation);
    await this.inParallel(stuck, (pod) => this.markFailedAndDelete(pod));
  }

  private async gcOrphaned(pods: Pod[], nodes: Node[]): Promise<void> {
    const existing = new Set(nodes.map((node) => node.metadata?.name ?? ''));
    const now = this.options.clock.now();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !existing.has(nodeName) && !this.missingSince.has(nodeName)) this.missingSince.set(nodeName, now);
    }
    const deleted = new Set<string>();
    for (const [nodeName, since] of [...this.missingSince]) {
      if (existing.has(nodeName)) {
        this.missingSince.delete(nodeName);
        continue;
      }
      if (now - since < quarantineTimeMs) continue;
      this.missingSince.delete(nodeName);
      // The cache may lag behind a node that was just created: ask the API.
      if (!(await this.options.api.nodeExists(nodeName))) deleted.add(nodeName);
    }
    const orphans = pods.filter((pod) => deleted.has(pod.spec?.nodeName ?? ''));
    const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: rfc3339(now) };
    await this.inParallel(orphans, (pod) => this.markFailedAndDelete(pod, condition));
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<void> {
    const unscheduled = pods.filter((pod) => pod.metadata?.deletionTimestamp && !pod.spec?.nodeName);
    await this.inParallel(unscheduled, (pod) => this.markFailedAndDelete(pod));
  }

  /** Upstream's markFailedAndDeletePodWithCondition. */
  private async markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      if (!isPodTerminal(pod)) await this.options.api.applyPodStatus(namespace, name, { phase: 'Failed', ...(condition ? { conditions: [condition] } : {}) });
      await this.options.api.forceDelete(namespace, name);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  }

  /** Runs work over items with a bounded number in flight; every item is tried, failures are logged. */
  private async inParallel(items: Pod[], work: (pod: Pod) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const pod = items[next++]!;
        await work(pod).catch((error: unknown) => console.error(`pod-garbage-collector: deleting ${podKey(pod)}: ${(error as Error).message}`));
      }
    };
    await Promise.all(Array.from({ length: Math.min(deletesInFlightMax, items.length) }, worker));
  }
}

