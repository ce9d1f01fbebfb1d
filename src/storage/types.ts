// The Store: the only thing the API server asks of a datastore. It is kept to what etcd
// offers (revisioned keys, compare-and-swap writes, prefix ranges, watch from a revision,
// compaction) so that the etcd backend is a translation, not a re-design.

/** One stored key at one revision. `value` is the object's JSON text, without resourceVersion. */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (etcd's create_revision). */
  createRevision: number;
  /** Revision of the write that produced this value (etcd's mod_revision) — the resourceVersion. */
  modRevision: number;
}

export type StoreEvent =
  /**
   * `object`, when present, is what the writer in this process serialised into `kv.value` (see
   * Store.create), handed on so a reader can skip parsing the value. Shared: never change it.
   */
  | { type: 'put'; kv: KeyValue; created: boolean; object?: unknown }
  /** `kv` is the last value before the delete; `revision` is the delete's own revision. */
  | { type: 'delete'; kv: KeyValue; revision: number };

export interface ListOptions {
  /** Read as of this revision (0 or absent: the newest). Fails with CompactedError below the compacted revision. */
  revision?: number;
  /** Start at this key (inclusive); for paging. */
  startKey?: string;
  /** At most this many items; 0 or absent: all. */
  limit?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when `limit` cut the list short. */
  more: boolean;
}

export interface WatchHandle {
  cancel(): void;
}

export interface WatchCallbacks {
  /** Events in revision order, without gaps, each batch from one or more writes. */
  onEvents(events: StoreEvent[]): void;
  /** The watch ended and will send nothing more (store closed, compacted, backend lost). */
  onError(error: Error): void;
  /**
   * Every change under the prefix up to `revision` has been delivered. Lets a quiet watcher
   * know it is current (etcd's progress notification); a list or get at `revision` may be
   * answered from a cache that has reached it.
   */
  onProgress?(revision: number): void;
}

export interface Store {
  /** The newest revision written. */
  currentRevision(): Promise<number>;
  /** The revision below which history is gone. */
  compactedRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Counts live keys under a prefix (for remainingItemCount and quota). */
  count(prefix: string): Promise<number>;
  /**
   * Fails with KeyExistsError when the key is live. `object`, optional, is the object `value` was
   * serialised from; a store may pass it on in its put event (SQLite does; etcd cannot, its
   * events come from the server). The caller must not change it afterwards.
   */
  create(key: string, value: string, object?: unknown): Promise<KeyValue>;
  /** Compare-and-swap on modRevision; fails with KeyNotFoundError or RevisionConflictError. `object` as for create. */
  update(key: string, value: string, expectedModRevision: number, object?: unknown): Promise<KeyValue>;
  /** Deletes when the key's modRevision matches (when given); returns the deleted value and the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }>;
  /** Every change under `prefix` after `afterRevision`, replayed from history first, then live. */
  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle;
  /** Forget history up to and including `revision` (live values are kept). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** The first key after every key that starts with prefix: etcd's range end. */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}

/** The revision at which an event happened. */
export function eventRevision(event: StoreEvent): number {
  return event.type === 'put' ? event.kv.modRevision : event.revision;
}
