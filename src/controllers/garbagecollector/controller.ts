// The garbage-collector-controller: discovery → monitors → graph builder → collector workers.
// Discovery runs again every 30 s so resources that appear later (custom resources) are watched
// and owners of their kinds can be resolved.
import { runWorkers, WorkQueue } from '../../client/index.js';
import type { EventRecorder } from '../common/events.js';
import type { GarbageCollectorApi } from './api.js';
import { GarbageCollector, RequeueItem } from './collector.js';
import { deletableResources, RestMapper, RestMappingError, type DiscoveryResult } from './discovery.js';
import { GraphBuilder } from './graph-builder.js';
import { Monitors, type MonitorFactory } from './monitors.js';

/** Upstream's resync of the deletable resources (kube-controller-manager passes 30 s). */
export const discoveryResyncPeriodMs = 30_000;
/** Upstream's --concurrent-gc-syncs default. */
export const defaultGarbageCollectorWorkers = 20;
/**
 * A CustomResourceDefinition or APIService changed: rediscover after this pause instead of
 * waiting up to 30 s, so new kinds are watched and resolvable within seconds (the pause lets a
 * new CRD become Established and groups settle; changes within it share one discovery).
 */
export const apiChangeResyncDelayMs = 1_000;
const apiDefiningKinds = new Set(['CustomResourceDefinition', 'APIService']);
/** How often to look whether every monitor has synced before the workers start. */
const syncPollMs = 100;

export interface GarbageCollectorControllerOptions {
  discover(): Promise<DiscoveryResult>;
  /** Fed with discovery results; the API resolves owner references through it. */
  mapper: RestMapper;
  api: GarbageCollectorApi;
  monitorFactory: MonitorFactory;
  recorder: EventRecorder;
  resyncPeriodMs?: number;
}

export class GarbageCollectorController {
  readonly attemptToDelete = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_delete' });
  readonly attemptToOrphan = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_orphan' });
  readonly builder: GraphBuilder;
  readonly collector: GarbageCollector;
  private readonly monitors: Monitors;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: GarbageCollectorControllerOptions) {
    this.builder = new GraphBuilder({ attemptToDelete: this.attemptToDelete, attemptToOrphan: this.attemptToOrphan, recorder: options.recorder });
    this.collector = new GarbageCollector({ builder: this.builder, api: options.api, attemptToDelete: this.attemptToDelete, attemptToOrphan: this.attemptToOrphan });
    this.monitors = new Monitors(this.builder, options.monitorFactory, (object) => {
      if (apiDefiningKinds.has(object.kind)) this.scheduleResync();
    });
  }

  async run(workers = defaultGarbageCollectorWorkers): Promise<void> {
    // Keep trying until the API answers discovery at least in part.
    while (!this.stopped && !(await this.resyncMonitors())) await this.sleep(this.options.resyncPeriodMs ?? discoveryResyncPeriodMs);
    if (this.stopped) return;
    this.monitors.start();
    // Orphaning needs every dependent in the graph: no decisions until every monitor has listed.
    while (!this.stopped && !this.monitors.hasSynced()) await this.sleep(syncPollMs);
    if (this.stopped) return;
    this.resyncTimer = setInterval(() => void this.resyncMonitors(), this.options.resyncPeriodMs ?? discoveryResyncPeriodMs);
    const onError = (queue: string) => (item: string, error: unknown) => {
      // Expected while waiting (upstream logs these only at high verbosity).
      if (error instanceof RequeueItem || error instanceof RestMappingError) return;
      console.error(`garbage collector ${queue}: error syncing ${item}: ${(error as Error)?.message ?? String(error)}`);
    };
    await Promise.all([
      runWorkers(this.attemptToDelete, workers, (uid) => this.collector.syncAttemptToDelete(uid), { onError: onError('attempt to delete') }),
      runWorkers(this.attemptToOrphan, workers, (uid) => this.collector.syncAttemptToOrphan(uid), { onError: onError('attempt to orphan') }),
    ]);
  }

  shutDown(): void {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.pendingResync);
    this.wake?.();
    this.monitors.stop();
    this.builder.stop();
    this.attemptToDelete.shutDown();
    this.attemptToOrphan.shutDown();
  }

  /** Rediscovers resources, updates the mapper and the monitors; false when discovery failed entirely. */
  async resyncMonitors(): Promise<boolean> {
    const started = ++this.discoveriesStarted;
    let discovery: DiscoveryResult;
    try {
      discovery = await this.options.discover();
    } catch (error) {
      console.error(`garbage collector: discovery failed: ${(error as Error).message}`);
      return false;
    }
    // An older discovery that finished late must not undo a newer one.
    if (this.stopped || started < this.discoveryApplied) return true;
    this.discoveryApplied = started;
    this.options.mapper.update(discovery.resources);
    // A group that failed to answer keeps its monitors rather than losing them for one bad poll.
    const failedGroups = new Set([...discovery.failedGroups.keys()].map((gv) => (gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '')));
    this.monitors.sync(deletableResources(discovery.resources), failedGroups);
    return true;
  }

  private wake: (() => void) | undefined;
  private pendingResync: NodeJS.Timeout | undefined;
  private discoveriesStarted = 0;
  private discoveryApplied = 0;

  private scheduleResync(): void {
    if (this.stopped || this.pendingResync) return;
    this.pendingResync = setTimeout(() => {
      this.pendingResync = undefined;
      void this.resyncMonitors();
    }, apiChangeResyncDelayMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
