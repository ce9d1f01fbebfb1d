// client-go's SharedIndexInformer (reflector + indexer + processor in one): list (paged), then
// watch from the list's resourceVersion with bookmarks; a watch that ends resumes where it left
// off; 410 Gone means our resourceVersion was compacted, so we relist and hand the handlers the
// difference against the cache. Handlers run synchronously and must only enqueue keys.
import type { KubeObject } from '../api/object.js';
import { isGone } from './errors.js';
import type { ListOptions, ObjectList, WatchOptions } from './rest.js';
import type { EventStream } from './watch.js';
import { objectKey, Store, type IndexFunc, type ReadonlyStore } from './store.js';
import { ApiError } from './errors.js';
import { withoutManagedFields } from './managed-fields-trim.js';

/** An object deleted while we were not watching: its last state we knew (client-go's DeletedFinalStateUnknown). */
export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(readonly key: string, readonly obj: T) {}
}

export interface EventHandlers<T extends KubeObject> {
  onAdd?(object: T, isInInitialList: boolean): void;
  onUpdate?(oldObject: T, newObject: T): void;
  onDelete?(object: T | DeletedFinalStateUnknown<T>): void;
}

/** What an informer needs from a resource client (a ResourceClient; a fake in unit tests). */
export interface ListerWatcher<T extends KubeObject> {
  list(ns: string | undefined, options: ListOptions): Promise<ObjectList<T>>;
  watch(ns: string | undefined, options: WatchOptions): Promise<EventStream<T>>;
}

export interface InformerOptions {
  /** Watch one namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as an update this often; 0 turns it off. */
  resyncPeriodMs?: number;
  /** Objects per list page (client-go's reflector uses 500). */
  listPageSize?: number;
  /**
   * Cache objects without metadata.managedFields, as kube-scheduler's pod informer does (its
   * transform "to improve memory usage"): for components that never read them.
   */
  dropManagedFields?: boolean;
}

export const defaultListPageSize = 500;
/** Watches are closed by the server after a random 5–10 min so load spreads (client-go's minWatchTimeout). */
const minWatchTimeoutSeconds = 300;
/** Retry delays after a failed list or watch grow from the first to the max (client-go's reflector: 800 ms → 30 s). */
export const retryInitialDelayMs = 800;
export const retryMaxDelayMs = 30_000;
/** A watch that lasted at least this long was healthy, so the retry delay starts over. */
const healthyWatchMs = 2_000;

export class SharedInformer<T extends KubeObject = KubeObject> {
  private readonly store = new Store<T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private running = false;
  private stopped = false;
  private stopWatch: (() => void) | undefined;
  private wakeSleep: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private resourceVersion = '';
  private retryDelayMs = retryInitialDelayMs;
  private lists = 0;

  constructor(private readonly client: ListerWatcher<T>, private readonly options: InformerOptions = {}) {}

  /** The local cache: read-only, objects frozen. Copy an object before changing it. */
  get cache(): ReadonlyStore<T> {
    return this.store;
  }

  /** The resourceVersion of the last list, event or bookmark seen. */
  get lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Registers handlers; a handler added after the initial list gets every cached object as an add. Returns an unregister function. */
  addEventHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const object of this.store.list()) handlers.onAdd?.(object, true);
    return () => this.handlers.delete(handlers);
  }

  addIndexer(name: string, indexFunc: IndexFunc<T>): void {
    this.store.addIndexer(name, indexFunc);
  }

  /** Completed full lists: 1 after the initial sync, more after each relist (410 Gone). */
  get listCount(): number {
    return this.lists;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache; false if the informer stopped or timeoutMs passed first. */
  waitForSync(timeoutMs?: number): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve(this.synced);
      });
    });
  }

  /** Starts listing and watching in the background; calling it again does nothing. */
  run(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const resyncPeriodMs = this.options.resyncPeriodMs ?? 0;
    if (resyncPeriodMs > 0) this.resyncTimer = setInterval(() => this.resync(), resyncPeriodMs);
    void this.loop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.stopWatch?.();
    this.wakeSleep?.();
    for (const waiter of this.syncWaiters.splice(0)) waiter();
  }

  private async loop(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      const watchStartedMs = performance.now();
      try {
        if (needList) {
          await this.listAndReplace();
          needList = false;
        }
        await this.watchOnce();
        if (performance.now() - watchStartedMs >= healthyWatchMs) this.retryDelayMs = retryInitialDelayMs;
        else await this.backoff();
      } catch (error) {
        if (this.stopped) return;
        if (isGone(error)) {
          // Our resourceVersion was compacted: only a fresh list can bring us up to date.
          needList = true;
          continue;
        }
        await this.backoff();
      }
    }
  }

  /** Lists every page, then replaces the cache and tells handlers what changed. */
  private async listAndReplace(): Promise<void> {
    const items: T[] = [];
    let pageSize: number | undefined = this.options.listPageSize ?? defaultListPageSize;
    let token: string | undefined;
    let resourceVersion = '';
    do {
      try {
        const page = await this.client.list(this.options.namespace, { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector, limit: pageSize, continue: token });
        items.push(...page.items);
        token = page.metadata.continue || undefined;
        resourceVersion = page.metadata.resourceVersion ?? '';
      } catch (error) {
        // The continue token expired between pages: list everything at once, as client-go does.
        if (!(token && isGone(error))) throw error;
        items.length = 0;
        token = undefined;
        pageSize = undefined;
      }
    } while (token && !this.stopped);
    if (this.stopped) return;
    this.replace(items, resourceVersion);
  }

  private replace(items: T[], resourceVersion: string): void {
    const listed = new Set<string>();
    for (const object of items) {
      listed.add(objectKey(object));
      this.applyUpsert(object, !this.synced);
    }
    for (const key of this.store.listKeys()) {
      if (listed.has(key)) continue;
      const old = this.store.delete(key)!;
      this.dispatch((handlers) => handlers.onDelete?.(new DeletedFinalStateUnknown(key, old)));
    }
    this.resourceVersion = resourceVersion;
    this.lists++;
    if (!this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters.splice(0)) waiter();
    }
  }

  private async watchOnce(): Promise<void> {
    const timeoutSeconds = Math.floor(minWatchTimeoutSeconds * (1 + Math.random()));
    const stream = await this.client.watch(this.options.namespace, {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      timeoutSeconds,
      dropManagedFields: this.options.dropManagedFields,
    });
    this.stopWatch = () => stream.stop();
    if (this.stopped) stream.stop();
    try {
      for await (const event of stream) {
        if (this.stopped) return;
        if (event.type === 'ERROR') throw new ApiError(event.object);
        const object = event.object;
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.applyUpsert(object, false);
        else if (event.type === 'DELETED') {
          const key = objectKey(object);
          this.store.delete(key);
          const deleted = this.options.dropManagedFields ? withoutManagedFields(object) : object;
          this.dispatch((handlers) => handlers.onDelete?.(deleted));
        }
        this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
        // An event after a failure proves the connection healthy again.
        this.retryDelayMs = retryInitialDelayMs;
      }
    } finally {
      this.stopWatch = undefined;
    }
  }

  private applyUpsert(received: T, isInInitialList: boolean): void {
    // Watch streams asked to drop managedFields already did, before parsing (nothing left here).
    const object = this.options.dropManagedFields ? withoutManagedFields(received) : received;
    const old = this.store.upsert(object);
    // The store freezes the object in place and keeps that very object: no second key lookup.
    const cached = object;
    if (old) this.dispatch((handlers) => handlers.onUpdate?.(old, cached));
    else this.dispatch((handlers) => handlers.onAdd?.(cached, isInInitialList));
  }

  private resync(): void {
    if (!this.synced) return;
    for (const object of this.store.list()) this.dispatch((handlers) => handlers.onUpdate?.(object, object));
  }

  private dispatch(call: (handlers: EventHandlers<T>) => void): void {
    for (const handlers of this.handlers) {
      try {
        call(handlers);
      } catch (error) {
        // A throwing handler is a programmer error: crash loudly rather than let the watch loop
        // mistake it for a connection failure and silently retry.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private async backoff(): Promise<void> {
    const delayMs = this.retryDelayMs * (0.5 + Math.random() / 2);
    this.retryDelayMs = Math.min(retryMaxDelayMs, this.retryDelayMs * 2);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeSleep = undefined;
  }
}
