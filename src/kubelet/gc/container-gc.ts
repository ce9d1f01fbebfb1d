// Dead-container and sandbox garbage collection, as upstream's kuberuntime containerGC: dead
// containers older than the minimum age are removed oldest first, keeping at most
// maxPerPodContainer per (pod, container name) and maxContainers on the node; every container of
// a deleted pod goes; sandboxes with no container left that are not their pod's newest go.
//
// One difference from upstream, on purpose: the newest instance of a container of a pod that
// stays is never collected, even when it is dead. k8ts derives a container's state (and
// CrashLoopBackOff's lastState) from the runtime, not from the last status it wrote, so that
// instance is state, not garbage; maxPerPodContainer counts the dead instances before it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../controllers/common/clock.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import { labels } from '../context.js';
import type { ContainerGcPolicy } from './policy.js';

/** What the collector needs of the runtime (the Runtime itself, or a fake in unit tests). */
export interface ContainerGcRuntime {
  listContainers(): Promise<ContainerStatus[]>;
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listPodSandbox(): PodSandboxStatus[];
  removePodSandbox(id: string): Promise<void>;
}

/** Upstream's PodStateProvider: what the pod workers know of a pod uid. */
export interface PodStateProvider {
  /** Deleted from the API: everything of it may go. */
  shouldPodContentBeRemoved(uid: string): boolean;
  /** Deleted or finished: its containers are no longer needed (only acted on when reclaiming disk). */
  shouldPodRuntimeBeRemoved(uid: string): boolean;
}

/** The provider for a list of the pods the kubelet knows (its informer's). */
export function podStatesOf(pods: readonly Pod[]): PodStateProvider {
  const byUid = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
  return {
    shouldPodContentBeRemoved: (uid) => !byUid.has(uid),
    shouldPodRuntimeBeRemoved: (uid) => {
      const pod = byUid.get(uid);
      return !pod || !!pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    },
  };
}

interface GcInfo {
  id: string;
  createdAt: number;
  attempt: number;
  unknown: boolean;
}

/** Newest first, as upstream's byCreated. */
const newestFirst = (a: GcInfo, b: GcInfo): number => b.createdAt - a.createdAt || b.attempt - a.attempt;

export class ContainerGc {
  constructor(
    private readonly runtime: ContainerGcRuntime,
    /** Asked once per pass: the pods the kubelet knows at that moment. */
    private readonly podStates: () => PodStateProvider,
    private readonly policy: ContainerGcPolicy,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
  ) {}

  /** One pass. `evictNonDeletedPods` (disk pressure) also removes the containers of finished pods. */
  async garbageCollect(options: { evictNonDeletedPods?: boolean } = {}): Promise<void> {
    const evictNonDeletedPods = options.evictNonDeletedPods ?? false;
    this.pods = this.podStates();
    await this.evictContainers(evictNonDeletedPods);
    await this.evictSandboxes(evictNonDeletedPods);
  }

  private pods: PodStateProvider | undefined;
  private removable(uid: string, evictNonDeletedPods: boolean): boolean {
    const pods = this.pods!;
    return pods.shouldPodContentBeRemoved(uid) || (evictNonDeletedPods && pods.shouldPodRuntimeBeRemoved(uid));
  }

  /** Not running, old enough, and not the current instance of a pod that stays; grouped by (pod uid, container name). */
  private async evictableContainers(evictNonDeletedPods: boolean): Promise<Map<string, GcInfo[]>> {
    const containers = (await this.runtime.listContainers()).filter((c) => c.labels[labels.podUid]);
    const current = new Map<string, GcInfo>();
    const units = new Map<string, GcInfo[]>();
    const infoOf = (c: ContainerStatus): GcInfo => ({ id: c.id, createdAt: c.createdAt, attempt: c.metadata.attempt, unknown: c.state === 'CONTAINER_UNKNOWN' });
    const unitOf = (c: ContainerStatus): string => `${c.labels[labels.podUid]}/${c.metadata.name}`;
    for (const container of containers) {
      const info = infoOf(container);
      const newest = current.get(unitOf(container));
      if (!newest || newestFirst(info, newest) < 0) current.set(unitOf(container), info);
    }
    const newestGcTimeNs = (this.clock.now() - this.policy.minAgeMs) * 1e6;
    for (const container of containers) {
      if (container.state === 'CONTAINER_RUNNING') continue;
      if (container.createdAt > newestGcTimeNs) continue;
      const unit = unitOf(container);
      const uid = container.labels[labels.podUid]!;
      if (current.get(unit)?.id === container.id && !this.removable(uid, evictNonDeletedPods)) continue;
      units.set(unit, [...(units.get(unit) ?? []), infoOf(container)]);
    }
    return units;
  }

  private async evictContainers(evictNonDeletedPods: boolean): Promise<void> {
    const units = await this.evictableContainers(evictNonDeletedPods);
    for (const [unit, list] of units) {
      const uid = unit.slice(0, unit.indexOf('/'));
      if (!this.removable(uid, evictNonDeletedPods)) continue;
      await this.removeOldestN(list, list.length);
      units.delete(unit);
    }
    if (this.policy.maxPerPodContainer >= 0) await this.enforceMaxPerUnit(units, this.policy.maxPerPodContainer);
    const count = (): number => [...units.values()].reduce((sum, list) => sum + list.length, 0);
    if (this.policy.maxContainers >= 0 && count() > this.policy.maxContainers) {
      // An equal share per (pod, container) first (at least one), then the oldest overall.
      await this.enforceMaxPerUnit(units, Math.max(1, Math.floor(this.policy.maxContainers / units.size)));
      const left = count();
      if (left > this.policy.maxContainers) await this.removeOldestN([...units.values()].flat(), left - this.policy.maxContainers);
    }
  }

  private async enforceMaxPerUnit(units: Map<string, GcInfo[]>, max: number): Promise<void> {
    for (const [unit, list] of units) {
      if (list.length > max) units.set(unit, await this.removeOldestN(list, list.length - max));
    }
  }

  /** Removes the `count` oldest; returns the rest (as upstream, assuming the removals worked). */
  private async removeOldestN(list: GcInfo[], count: number): Promise<GcInfo[]> {
    const sorted = [...list].sort(newestFirst);
    const keep = sorted.length - count;
    for (const info of sorted.slice(Math.max(0, keep)).reverse()) {
      try {
        // A container in an unknown state could still be running: stop it first, as upstream.
        if (info.unknown) await this.runtime.stopContainer(info.id, 0);
        await this.runtime.removeContainer(info.id);
      } catch (error) {
        this.log(`failed to remove container ${info.id}: ${(error as Error).message}`);
      }
    }
    return sorted.slice(0, Math.max(0, keep));
  }

  /** A sandbox is active while ready or holding a container; inactive ones go, but a live pod keeps its newest. */
  private async evictSandboxes(evictNonDeletedPods: boolean): Promise<void> {
    const holding = new Set((await this.runtime.listContainers()).map((c) => c.podSandboxId));
    const byPod = new Map<string, PodSandboxStatus[]>();
    for (const sandbox of this.runtime.listPodSandbox()) {
      const uid = sandbox.labels[labels.podUid];
      if (uid) byPod.set(uid, [...(byPod.get(uid) ?? []), sandbox]);
    }
    for (const [uid, sandboxes] of byPod) {
      const sorted = sandboxes.sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
      const keep = this.removable(uid, evictNonDeletedPods) ? 0 : 1;
      for (const sandbox of sorted.slice(keep).reverse()) {
        if (sandbox.state === 'SANDBOX_READY' || holding.has(sandbox.id)) continue;
        await this.runtime.removePodSandbox(sandbox.id).catch((error: unknown) => this.log(`failed to remove sandbox ${sandbox.id}: ${(error as Error).message}`));
      }
    }
  }
}
