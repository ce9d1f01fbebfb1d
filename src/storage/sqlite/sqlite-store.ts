// The embedded datastore: one SQLite table holds the whole etcd model, as in kine (the layout is
// in schema.ts). Every write appends a row whose id is the new global revision; a row points at
// the row it replaces (prev_revision). Deletes are tombstone rows. Compaction removes superseded
// rows in batches. One process owns the database, so revisions are checked in memory and row ids
// handed out here.
import type Database from 'better-sqlite3';
import { CompactedError, KeyExistsError, KeyNotFoundError, RevisionConflictError, StoreClosedError } from '../errors.js';
import { eventRevision, prefixEnd, type KeyValue, type ListOptions, type ListResult, type Store, type StoreEvent, type WatchCallbacks, type WatchHandle } from '../types.js';
import { newestRevision, openDatabase, prepareStatements, type Row, type RowHead, type Statements } from './schema.js';

/** Revisions compacted per transaction. */
const compactBatchRevisions = 5_000;
/** Writes committed in one transaction at most (group commit). */
const maxWritesPerCommit = 256;
/** Keys whose newest row the store remembers (see `heads`); past this the memory is dropped. */
const maxRememberedHeads = 100_000;
/** Rows replayed per query when a watch starts from an old revision. */
const replayBatchRows = 1_000;

interface Watcher {
  prefix: string;
  end: string;
  callbacks: WatchCallbacks;
  /** Events are delivered only above this revision (replay may overlap live delivery). */
  deliveredRevision: number;
  live: boolean;
  pending: StoreEvent[];
}

export interface SqliteStoreOptions {
  /** Path of the database file, or ":memory:". */
  path: string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly watchers = new Set<Watcher>();
  private closed = false;
  private compacted = 0;
  /** The newest revision; kept in memory since this process is the only writer. */
  private revision = 0;
  private readonly statements: Statements;
  /**
   * The newest row of keys this process wrote, so a write need not look it up: this process is
   * the only writer. Forgotten whenever rows change under it (a failed commit, compaction).
   */
  private readonly heads = new Map<string, RowHead>();
  private readonly writes;
  private readonly commitBatch: (run: () => void) => void;
  private readonly queue: { apply: () => { event: StoreEvent; result: unknown }; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private flushScheduled = false;

  constructor(options: SqliteStoreOptions) {
    this.db = openDatabase(options.path);
    this.statements = prepareStatements(this.db);
    this.compacted = this.statements.getMeta.get('compact_revision')?.value ?? 0;
    this.revision = this.readRevision();
    this.writes = this.buildWrites();
    this.commitBatch = this.db.transaction((run: () => void) => run());
  }

  async currentRevision(): Promise<number> {
    return this.revisionNow();
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const row = this.statements.latest.get(key);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    const revision = options.revision && options.revision > 0 ? options.revision : this.revisionNow();
    if (options.revision && options.revision > 0 && options.revision <= this.compacted) throw new CompactedError(options.revision, this.compacted);
    const start = options.startKey && options.startKey > prefix ? options.startKey : prefix;
    const limit = options.limit && options.limit > 0 ? options.limit : -1;
    // Ask for one more than the limit to learn whether there is more.
    const rows = this.statements.listAt.all(start, prefixEnd(prefix), revision, limit > 0 ? limit + 1 : -1);
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(toKeyValue), revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.statements.count.get(prefix, prefixEnd(prefix))?.n ?? 0;
  }

  async create(key: string, value: string, object?: unknown): Promise<KeyValue> {
    return this.enqueue(() => {
      const row = this.writes.create(key, value);
      const kv = toKeyValue(row);
      return { event: putEvent(kv, true, object), result: kv };
    });
  }

  async update(key: string, value: string, expectedModRevision: number, object?: unknown): Promise<KeyValue> {
    return this.enqueue(() => {
      const kv = toKeyValue(this.writes.update(key, value, expectedModRevision));
      return { event: putEvent(kv, false, object), result: kv };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    return this.enqueue(() => {
      const result = this.writes.delete(key, expectedModRevision);
      return { event: { type: 'delete', kv: result.kv, revision: result.revision }, result };
    });
  }

  /**
   * Group commit: writes that arrive in the same turn of the event loop share one transaction,
   * so one WAL append acknowledges many of them. Each write is checked on its own and fails on
   * its own; a write is acknowledged (and its event published) only after the commit.
   */
  private enqueue<T>(apply: () => { event: StoreEvent; result: T }): Promise<T> {
    this.assertOpen();
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, maxWritesPerCommit);
      const outcomes: ({ ok: true; event: StoreEvent; result: unknown } | { ok: false; error: unknown })[] = [];
      try {
        this.commitBatch(() => {
          for (const write of batch) {
            try {
              outcomes.push({ ok: true, ...write.apply() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (error) {
        // The commit itself failed: none of the batch was written.
        this.revision = this.readRevision();
        this.heads.clear();
        for (const write of batch) write.reject(error);
        continue;
      }
      this.publish(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.event] : [])));
      batch.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) write.resolve(outcome.result);
        else write.reject(outcome.error);
      });
    }
  }

  /** The single-key writes; they run inside a batch's transaction and move `revision` as they insert. */
  private buildWrites() {
    const { latest, insert, byId } = this.statements;
    return {
      create: (key: string, value: string): Row => {
        const previous = this.head(key);
        if (previous && !previous.deleted) throw new KeyExistsError(key);
        const id = this.revision + 1;
        insert.run(id, key, 1, 0, id, previous?.id ?? 0, value);
        this.revision = id;
        this.remember(key, { id, deleted: 0, create_revision: id });
        return { id, name: key, created: 1, deleted: 0, create_revision: id, prev_revision: previous?.id ?? 0, value };
      },
      update: (key: string, value: string, expectedModRevision: number): Row => {
        const previous = this.head(key);
        if (!previous || previous.deleted) throw new KeyNotFoundError(key);
        if (previous.id !== expectedModRevision) throw new RevisionConflictError(key, toKeyValue(byId.get(previous.id)!));
        const id = this.revision + 1;
        insert.run(id, key, 0, 0, previous.create_revision, previous.id, value);
        this.revision = id;
        this.remember(key, { id, deleted: 0, create_revision: previous.create_revision });
        return { id, name: key, created: 0, deleted: 0, create_revision: previous.create_revision, prev_revision: previous.id, value };
      },
      delete: (key: string, expectedModRevision: number | undefined): { kv: KeyValue; revision: number } => {
        const previous = latest.get(key);
        if (!previous || previous.deleted) throw new KeyNotFoundError(key);
        if (expectedModRevision !== undefined && expectedModRevision > 0 && previous.id !== expectedModRevision) {
          throw new RevisionConflictError(key, toKeyValue(previous));
        }
        // The tombstone keeps the last value so a watch replayed later can still say what was deleted.
        const id = this.revision + 1;
        insert.run(id, key, 0, 1, previous.create_revision, previous.id, previous.value);
        this.revision = id;
        this.remember(key, { id, deleted: 1, create_revision: previous.create_revision });
        return { kv: toKeyValue(previous), revision: id };
      },
    };
  }

  /** The newest row's head for `key`, remembered or read. */
  private head(key: string): RowHead | undefined {
    return this.heads.get(key) ?? this.statements.latestHead.get(key);
  }

  private remember(key: string, head: RowHead): void {
    if (this.heads.size >= maxRememberedHeads && !this.heads.has(key)) this.heads.clear();
    this.heads.set(key, head);
  }

  private readRevision(): number {
    return newestRevision(this.db, this.compacted);
  }

  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    this.assertOpen();
    const watcher: Watcher = { prefix, end: prefixEnd(prefix), callbacks, deliveredRevision: afterRevision, live: false, pending: [] };
    this.watchers.add(watcher);
    const cancel = (): void => {
      this.watchers.delete(watcher);
    };
    if (afterRevision > 0 && afterRevision < this.compacted) {
      cancel();
      queueMicrotask(() => callbacks.onError(new CompactedError(afterRevision, this.compacted)));
      return { cancel };
    }
    // Replay history after a microtask, so the caller holds the handle before any event arrives.
    queueMicrotask(() => {
      if (!this.watchers.has(watcher)) return;
      try {
        this.replay(watcher);
      } catch (error) {
        cancel();
        callbacks.onError(error as Error);
      }
    });
    return { cancel };
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const target = Math.min(revision, this.revisionNow());
    if (target <= this.compacted) return;
    // Walk the revisions in windows so one compaction never holds the write lock for long.
    for (let from = this.compacted; from < target; from += compactBatchRevisions) {
      const to = Math.min(from + compactBatchRevisions, target);
      this.db.transaction(() => {
        this.statements.compactSuperseded.run(from, to);
        this.statements.compactTombstones.run(from, to);
      })();
    }
    this.compacted = target;
    // A key's tombstone may be gone now; its next create must see no row at all.
    this.heads.clear();
    this.statements.setMeta.run('compact_revision', target);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted are committed (or failed) before the database closes.
    this.flush();
    this.closed = true;
    for (const watcher of this.watchers) watcher.callbacks.onError(new StoreClosedError());
    this.watchers.clear();
    this.db.close();
  }

  private revisionNow(): number {
    return this.revision;
  }

  private replay(watcher: Watcher): void {
    for (;;) {
      const rows = this.statements.changesAfter.all(watcher.deliveredRevision, watcher.prefix, watcher.end, replayBatchRows);
      if (rows.length === 0) break;
      const events = rows.map((row) => this.rowToEvent(row));
      watcher.deliveredRevision = rows[rows.length - 1]!.id;
      watcher.callbacks.onEvents(events);
      if (!this.watchers.has(watcher)) return;
    }
    watcher.live = true;
  }

  private rowToEvent(row: Row): StoreEvent {
    if (row.deleted) {
      const previous = this.statements.byId.get(row.prev_revision);
      const kv: KeyValue = previous ? toKeyValue(previous) : { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.prev_revision };
      return { type: 'delete', kv, revision: row.id };
    }
    return { type: 'put', kv: toKeyValue(row), created: row.created === 1 };
  }

  private publish(events: StoreEvent[]): void {
    if (events.length === 0) return;
    const lastRevision = eventRevision(events[events.length - 1]!);
    for (const watcher of this.watchers) {
      // A watcher still replaying history will read these rows from the table itself.
      if (!watcher.live) continue;
      // Every watch cache sees every batch, and most batches touch one or two resources: the
      // array is only built for a watcher that has something in it.
      let mine: StoreEvent[] | undefined;
      for (const event of events) {
        if (event.kv.key >= watcher.prefix && event.kv.key < watcher.end && eventRevision(event) > watcher.deliveredRevision) (mine ??= []).push(event);
      }
      if (mine === undefined) {
        // Writes are published synchronously, so this watcher is current up to the last one.
        watcher.callbacks.onProgress?.(lastRevision);
        continue;
      }
      watcher.deliveredRevision = eventRevision(mine[mine.length - 1]!);
      try {
        watcher.callbacks.onEvents(mine);
      } catch (error) {
        this.watchers.delete(watcher);
        watcher.callbacks.onError(error as Error);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

/** A put event; the writer's object rides along only when there is one, so events compare equal to replayed ones otherwise. */
function putEvent(kv: KeyValue, created: boolean, object: unknown): StoreEvent {
  return object === undefined ? { type: 'put', kv, created } : { type: 'put', kv, created, object };
}

function toKeyValue(row: Row): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}
