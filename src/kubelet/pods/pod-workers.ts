// The pods bound to this node, each synced by one worker at a time (a work queue keyed by
// namespace/name), a bounded number at once. The informer, a relist timer (upstream's PLEG) and
// back-off wake-ups queue pods; housekeeping removes sandboxes whose pod is gone.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../../api/object.js';
import { isConflict, ItemExponentialRateLimiter, objectKey, WorkQueue, type SharedInformer, type SharedInformerFactory } from '../../client/index.js';
import { labels, podsResource, type KubeletContext } from '../context.js';
import { housekeepingIntervalMs, maxConcurrentPodSyncs, podRelistIntervalMs, podResyncIntervalMs, podSyncRetryBaseMs, podSyncRetryMaxMs } from '../limits.js';
import { cleanupOrphanedPodDirs } from '../gc/pod-dirs.js';
import { mountsUnder, unmountAll } from '../volumes/tmpfs.js';
import { isTerminal, PodSyncer, type KubeletTermination } from './pod-sync.js';

type PodObject = Pod & KubeObject;

export class PodWorkers {
  readonly syncer: PodSyncer;
  private readonly informer: SharedInformer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'kubelet-pods', rateLimiter: new ItemExponentialRateLimiter<string>(podSyncRetryBaseMs, podSyncRetryMaxMs) });
  private running: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  /** Each pod's containers and their states at the last relist, by pod uid. */
  private fingerprints = new Map<string, string>();
  private relisting = false;

  constructor(private readonly context: KubeletContext, informers: SharedInformerFactory) {
    this.syncer = new PodSyncer(context);
    // A probe result the status shows (ready, started) or a probe kill: sync the pod now.
    this.syncer.probes.onChange = (pod) => this.queue.add(objectKey(pod as PodObject));
    this.informer = informers.forResource<PodObject>(podsResource, { fieldSelector: `spec.nodeName=${context.nodeName}` });
    this.informer.addEventHandler({
      onAdd: (pod) => this.queue.add(objectKey(pod)),
      onUpdate: (old, pod) => {
        if (specChanged(old, pod)) this.queue.add(objectKey(pod));
      },
      // Deleted without our help (grace 0 by someone else): housekeeping removes its sandbox.
      onDelete: () => this.kickHousekeeping(),
    });
  }

  /** The pods bound to this node, as the informer has them. */
  boundPods(): readonly PodObject[] {
    return this.informer.cache.list();
  }

  /** Admitted pods not yet finished (upstream's GetActivePods): the eviction manager's candidates. */
  activePods(): PodObject[] {
    return this.informer.cache.list().filter((p) => !isTerminal(p) && !this.syncer.terminatedByKubelet(p.metadata?.uid ?? ''));
  }

  /** The eviction manager's killPodFunc: the pod's worker stops it and writes the terminal status. */
  evict(pod: Pod, termination: KubeletTermination): Promise<void> {
    const done = this.syncer.requestTermination(pod.metadata?.uid ?? '', termination);
    this.queue.add(objectKey(pod as PodObject));
    return done;
  }

  /** Pods this node runs now (for the node's capacity report). */
  podCount(): number {
    return this.informer.cache.list().filter((p) => !isTerminal(p)).length;
  }

  async start(): Promise<void> {
    await this.informer.waitForSync();
    await this.housekeeping();
    this.running = Promise.all(Array.from({ length: maxConcurrentPodSyncs }, () => this.worker())).then(() => undefined);
    this.timers.push(setInterval(() => this.relist(), podRelistIntervalMs));
    this.timers.push(setInterval(() => this.resyncAll(), podResyncIntervalMs));
    this.timers.push(setInterval(() => this.kickHousekeeping(), housekeepingIntervalMs));
    this.syncer.volumes.startRefresh();
  }

  /** Stops syncing; containers and sandboxes stay, for the next agent to adopt. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.syncer.volumes.stopRefresh();
    this.syncer.probes.stop();
    this.queue.shutDown();
    await this.running;
  }

  private resyncAll(): void {
    for (const pod of this.informer.cache.list()) if (!isTerminal(pod) || pod.metadata?.deletionTimestamp) this.queue.add(objectKey(pod));
  }

  /** Upstream's PLEG: list the runtime and sync the pods whose containers started, exited or vanished. */
  private relist(): void {
    if (this.relisting) return;
    this.relisting = true;
    this.relistOnce()
      .catch((error: unknown) => this.context.log(`relisting containers: ${(error as Error).message}`))
      .finally(() => (this.relisting = false));
  }

  private async relistOnce(): Promise<void> {
    const uidOf = new Map(this.context.runtime.listPodSandbox().map((s) => [s.id, s.labels[labels.podUid] ?? '']));
    const states = new Map<string, string[]>();
    for (const container of await this.context.runtime.listContainers()) {
      const uid = uidOf.get(container.podSandboxId) ?? '';
      states.set(uid, [...(states.get(uid) ?? []), `${container.id}:${container.state}`]);
    }
    const next = new Map([...states].map(([uid, list]) => [uid, list.sort().join(',')]));
    const changed = new Set([...next.keys(), ...this.fingerprints.keys()].filter((uid) => next.get(uid) !== this.fingerprints.get(uid)));
    this.fingerprints = next;
    if (changed.size === 0) return;
    for (const pod of this.informer.cache.list()) if (changed.has(pod.metadata?.uid ?? '')) this.queue.add(objectKey(pod));
  }

  private housekeepingRunning = false;
  private kickHousekeeping(): void {
    if (this.housekeepingRunning) return;
    this.housekeepingRunning = true;
    this.housekeeping()
      .catch((error: unknown) => this.context.log(`housekeeping: ${(error as Error).message}`))
      .finally(() => (this.housekeepingRunning = false));
  }

  private async housekeeping(): Promise<void> {
    const known = new Set(this.informer.cache.list().map((p) => p.metadata?.uid ?? ''));
    const orphans = new Set(this.context.runtime.listPodSandbox().map((s) => s.labels[labels.podUid] ?? '').filter((uid) => uid && !known.has(uid)));
    for (const uid of orphans) {
      this.context.log(`removing the sandboxes of pod ${uid}, which the API no longer has`);
      await this.syncer.removeOrphan(uid);
    }
    // Directories no sandbox accounts for (a pod force-deleted while the agent was down, a teardown cut short).
    cleanupOrphanedPodDirs({
      dataDir: this.context.dataDir,
      knownPods: () => new Set(this.informer.cache.list().map((p) => p.metadata?.uid ?? '')),
      podsWithSandboxes: () => new Set(this.context.runtime.listPodSandbox().map((s) => s.labels[labels.podUid] ?? '')),
      mountsUnder,
      unmountAll,
      log: this.context.log,
    });
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const pod = this.informer.cache.get(key);
        const result = pod ? await this.syncer.sync(pod) : {};
        this.queue.forget(key);
        if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        if (!isConflict(error)) this.context.log(`pod ${key}: ${(error as Error).message}; retrying`);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}

/**
 * Only what the kubelet acts on, as upstream's pod config source: status writes (most of them
 * our own) do not wake the pod's worker; its containers changing does, through the relist.
 */
export function specChanged(old: Pod, pod: Pod): boolean {
  return (
    old.metadata?.uid !== pod.metadata?.uid ||
    old.metadata?.deletionTimestamp !== pod.metadata?.deletionTimestamp ||
    old.metadata?.deletionGracePeriodSeconds !== pod.metadata?.deletionGracePeriodSeconds ||
    !jsonEqual(old.metadata?.labels, pod.metadata?.labels) ||
    !jsonEqual(old.metadata?.annotations, pod.metadata?.annotations) ||
    !jsonEqual(old.spec, pod.spec)
  );
}
