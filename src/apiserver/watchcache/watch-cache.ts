// The watch cache: one per stored resource. It lists the store once, then follows the store's
// watch, so gets, lists and watches are answered from memory. It keeps a bounded window of
// recent events so a watch can start from a resourceVersion the client saw a little earlier.
import type { KubeObject } from '../../api/object.js';
import { eventRevision, type Store, type StoreEvent, type WatchHandle } from '../../storage/types.js';
import { isPlainJson, spliceResourceVersion } from './written-value.js';

/** Recent events kept per resource for watches that start in the past. */
export const watchCacheHistoryEvents = 10_000;

export interface CachedObject {
  key: string;
  /** Shared and never mutated: copy before changing it. metadata.resourceVersion is set. */
  object: KubeObject;
  /** The object's JSON, ready to send. */
  json: string;
  revision: number;
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  /** For DELETED: the last state, with resourceVersion set to the delete's revision. */
  object: CachedObject;
  /** The state before this event, for MODIFIED and DELETED. */
  previous?: CachedObject;
  revision: number;
  /** The event's JSON line, built once and shared by every watcher that sends it unchanged. */
  wire?: string;
  /** The same line with another type, for watchers whose selector makes it ADDED or DELETED. */
  retypedWire?: Partial<Record<CacheEventType, string>>;
}

export type CacheListener = (event: CacheEvent) => void;

/**
 * The cached form of a stored value: parsed, with metadata.resourceVersion set to `revision`.
 * `written`, when given, is the object the value was serialised from (a put event's `object`);
 * when it is plain JSON it is adopted instead of parsing the value again (shallowly copied: the
 * writer's own object is not changed), and the JSON is the value with the resourceVersion
 * spliced in. Either way the result is the same, byte for byte.
 */
export function decodeStored(key: string, value: string, revision: number, written?: unknown): CachedObject {
  const resourceVersion = String(revision);
  if (written !== undefined) {
    // Splicing succeeds only for a top-level metadata object, which the plain-JSON check then covers.
    const json = spliceResourceVersion(value, resourceVersion);
    if (json !== undefined && isPlainJson(written)) {
      const adopted = written as KubeObject;
      return { key, object: { ...adopted, metadata: { ...adopted.metadata, resourceVersion } }, json, revision };
    }
  }
  const object = JSON.parse(value) as KubeObject;
  object.metadata = { ...(object.metadata ?? {}), resourceVersion };
  return { key, object, json: JSON.stringify(object), revision };
}

export class WatchCache {
  private readonly items = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private readonly history: CacheEvent[] = [];
  /** Events at or below this revision may be missing from history. */
  private historyFloor = 0;
  private revision = 0;
  private readonly listeners = new Set<CacheListener>();
  private readonly waiters: { revision: number; resolve: () => void }[] = [];
  private handle: WatchHandle | undefined;
  private readonly started: Promise<void>;
  private stopped = false;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
  ) {
    this.started = this.load();
  }

  ready(): Promise<void> {
    return this.started;
  }

  /** The revision the cache reflects. */
  currentRevision(): number {
    return this.revision;
  }

  /** Resolves once the cache has seen every write up to `revision`. */
  async waitForRevision(revision: number): Promise<void> {
    await this.started;
    if (this.revision >= revision) return;
    await new Promise<void>((resolve) => this.waiters.push({ revision, resolve }));
  }

  get(key: string): CachedObject | undefined {
    return this.items.get(key);
  }

  /** Objects under `prefix` (a namespace's prefix, or the whole resource), in key order. */
  list(prefix: string = this.prefix): CachedObject[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.items.keys()].sort();
    const keys = this.sortedKeys;
    if (prefix === this.prefix) return keys.map((key) => this.items.get(key)!);
    const out: CachedObject[] = [];
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (keys[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push(this.items.get(keys[i]!)!);
    return out;
  }

  size(): number {
    return this.items.size;
  }

  /**
   * Subscribes to events after `afterRevision`. Returns undefined when that revision is older
   * than the cache's history; the caller then reads history from the store or answers 410.
   */
  watch(afterRevision: number, listener: CacheListener): { cancel(): void; replay: CacheEvent[] } | undefined {
    if (afterRevision < this.historyFloor) return undefined;
    const replay = afterRevision >= this.revision ? [] : this.history.filter((event) => event.revision > afterRevision);
    this.listeners.add(listener);
    return { replay, cancel: () => this.listeners.delete(listener) };
  }

  stop(): void {
    this.stopped = true;
    this.handle?.cancel();
    this.listeners.clear();
  }

  private async load(): Promise<void> {
    const listed = await this.store.list(this.prefix);
    for (const kv of listed.items) this.items.set(kv.key, decodeStored(kv.key, kv.value, kv.modRevision));
    this.sortedKeys = undefined;
    this.revision = listed.revision;
    this.historyFloor = listed.revision;
    this.handle = this.store.watch(this.prefix, listed.revision, {
      onEvents: (events) => this.apply(events),
      onError: (error) => this.restart(error),
      onProgress: (revision) => this.progress(revision),
    });
  }

  private restart(error: Error): void {
    if (this.stopped) return;
    // The store's watch ended (compaction raced us, backend reconnect): relist and carry on.
    // Watchers cannot be told what they missed, so they are dropped and re-watch.
    process.emitWarning(`watch cache ${this.prefix} restarting: ${error.message}`);
    this.listeners.clear();
    this.items.clear();
    this.history.length = 0;
    void this.load().catch((loadError: Error) => setTimeout(() => this.restart(loadError), 1_000));
  }

  private apply(events: StoreEvent[]): void {
    for (const storeEvent of events) {
      const revision = eventRevision(storeEvent);
      const previous = this.items.get(storeEvent.kv.key);
      let event: CacheEvent;
      if (storeEvent.type === 'put') {
        const object = decodeStored(storeEvent.kv.key, storeEvent.kv.value, revision, storeEvent.object);
        if (!previous) this.sortedKeys = undefined;
        this.items.set(object.key, object);
        event = previous ? { type: 'MODIFIED', object, previous, revision } : { type: 'ADDED', object, revision };
      } else {
        const object = decodeStored(storeEvent.kv.key, storeEvent.kv.value, revision);
        this.items.delete(storeEvent.kv.key);
        this.sortedKeys = undefined;
        event = { type: 'DELETED', object, previous: previous ?? object, revision };
      }
      this.revision = revision;
      this.history.push(event);
      if (this.history.length > watchCacheHistoryEvents * 2) {
        const dropped = this.history.splice(0, watchCacheHistoryEvents);
        this.historyFloor = dropped[dropped.length - 1]!.revision;
      }
      for (const listener of this.listeners) listener(event);
    }
    this.wakeWaiters();
  }

  private progress(revision: number): void {
    if (revision <= this.revision) return;
    this.revision = revision;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (waiter.revision <= this.revision) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
