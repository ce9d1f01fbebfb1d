// The pods bound to this node, each synced by one worker at a time (a work queue keyed by
// namespace/name), a bounded number at once. The informer, a relist timer (upstream's PLEG) and
// back-off wake-ups queue pods; housekeeping removes sandboxes whose pod is gone.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isConflict, ItemExponentialRateLimiter, objectKey, WorkQueue, type SharedInformer, type SharedInformerFactory } from '../../client/index.js';
import { labels, podsResource, type KubeletContext } from '../context.js';
import { housekeepingIntervalMs, maxConcurrentPodSyncs, podRelistIntervalMs, podSyncRetryBaseMs, podSyncRetryMaxMs } from '../limits.js';
import { isTerminal, PodSyncer } from './pod-sync.js';

type PodObject = Pod & KubeObject;

export class PodWorkers {
  readonly syncer: PodSyncer;
  private readonly informer: SharedInformer<PodObject>;
  private readonly queue = new WorkQueue<string>({ name: 'kubelet-pods', rateLimiter: new ItemExponentialRateLimiter<string>(podSyncRetryBaseMs, podSyncRetryMaxMs) });
  private running: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly context: KubeletContext, informers: SharedInformerFactory) {
    this.syncer = new PodSyncer(context);
    this.informer = informers.forResource<PodObject>(podsResource, { fieldSelector: `spec.nodeName=${context.nodeName}` });
    this.informer.addEventHandler({
      onAdd: (pod) => this.queue.add(objectKey(pod)),
      onUpdate: (_old, pod) => this.queue.add(objectKey(pod)),
      // Deleted without our help (grace 0 by someone else): housekeeping removes its sandbox.
      onDelete: () => this.kickHousekeeping(),
    });
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
    this.timers.push(setInterval(() => this.kickHousekeeping(), housekeepingIntervalMs));
  }

  /** Stops syncing; containers and sandboxes stay, for the next agent to adopt. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.queue.shutDown();
    await this.running;
  }

  private relist(): void {
    for (const pod of this.informer.cache.list()) if (!isTerminal(pod) || pod.metadata?.deletionTimestamp) this.queue.add(objectKey(pod));
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
