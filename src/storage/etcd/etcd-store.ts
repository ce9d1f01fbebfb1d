// The Store on etcd: a direct translation. Keys are stored as given (/registry/<resource>/<ns>/<name>),
// values are the JSON text, revisions are etcd's. Writes are single transactions whose compare
// is the Store's precondition, so two API servers on one etcd never overwrite each other.
import type { Etcd3, ICompare, IRangeRequest, IRangeResponse } from 'etcd3';
import { CompactedError, KeyExistsError, KeyNotFoundError, RevisionConflictError, StoreClosedError } from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Store, WatchCallbacks, WatchHandle } from '../types.js';
import { createEtcdClient, defaultRequestTimeoutMs, isCompactedMessage, prefixRangeEnd, toKeyValue, withDeadline, type EtcdConnectionOptions } from './etcd-client.js';
import { EventFanout } from './event-fanout.js';

export type EtcdStoreOptions = EtcdConnectionOptions;

/** Any key works to learn the current revision from a response header; this one is never written. */
const revisionProbeKey = Buffer.from('\0');
const compactedPattern = /compacted revision (\d+)|compact_revision[^0-9]*(\d+)/;

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly timeoutMs: number;
  private readonly fanout: EventFanout;
  /** etcd does not report its compaction mark: this is the newest one we made or were told of. */
  private compacted = 0;
  private closed = false;

  constructor(options: EtcdStoreOptions) {
    this.client = createEtcdClient(options);
    this.timeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
    this.fanout = new EventFanout(this.client, (revision) => this.learnCompaction(revision));
  }

  async currentRevision(): Promise<number> {
    const response = await this.range('read the current revision', { key: revisionProbeKey, count_only: true });
    return Number(response.header.revision);
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const response = await this.range(`get ${key}`, { key: Buffer.from(key) });
    const kv = response.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const atRevision = options.revision && options.revision > 0 ? options.revision : 0;
    if (atRevision > 0 && atRevision <= this.compacted) throw new CompactedError(atRevision, this.compacted);
    const start = options.startKey && options.startKey > prefix ? options.startKey : prefix;
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const response = await this.range(`list ${prefix}`, {
      key: Buffer.from(start),
      range_end: prefixRangeEnd(Buffer.from(prefix)),
      revision: atRevision,
      limit,
    }, atRevision);
    return {
      items: response.kvs.map(toKeyValue),
      // A read at a given revision is that revision; a read of the newest is the header's.
      revision: atRevision > 0 ? atRevision : Number(response.header.revision),
      more: response.more,
    };
  }

  async count(prefix: string): Promise<number> {
    const response = await this.range(`count ${prefix}`, { key: Buffer.from(prefix), range_end: prefixRangeEnd(Buffer.from(prefix)), count_only: true });
    return Number(response.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen();
    const keyBytes = Buffer.from(key);
    const response = await withDeadline(`create ${key}`, this.timeoutMs, (deadline) =>
      this.client.kv.txn(
        {
          compare: [{ key: keyBytes, target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: keyBytes, value: Buffer.from(value) } }],
          failure: [],
        },
        { deadline },
      ),
    );
    if (!response.succeeded) throw new KeyExistsError(key);
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.assertOpen();
    const keyBytes = Buffer.from(key);
    const response = await withDeadline(`update ${key}`, this.timeoutMs, (deadline) =>
      this.client.kv.txn(
        {
          compare: [...liveAt(keyBytes, expectedModRevision)],
          success: [{ request_put: { key: keyBytes, value: Buffer.from(value), prev_kv: true } }],
          // On failure read the key in the same transaction, so the conflict carries what is there.
          failure: [{ request_range: { key: keyBytes } }],
        },
        { deadline },
      ),
    );
    if (!response.succeeded) throw this.preconditionFailure(key, response.responses[0]?.response_range);
    const previous = response.responses[0]?.response_put?.prev_kv;
    const revision = Number(response.header.revision);
    return { key, value, createRevision: previous ? Number(previous.create_revision) : revision, modRevision: revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ kv: KeyValue; revision: number }> {
    this.assertOpen();
    const keyBytes = Buffer.from(key);
    const expected = expectedModRevision !== undefined && expectedModRevision > 0 ? expectedModRevision : undefined;
    const response = await withDeadline(`delete ${key}`, this.timeoutMs, (deadline) =>
      this.client.kv.txn(
        {
          compare: [...liveAt(keyBytes, expected)],
          success: [{ request_delete_range: { key: keyBytes, prev_kv: true } }],
          failure: [{ request_range: { key: keyBytes } }],
        },
        { deadline },
      ),
    );
    if (!response.succeeded) throw this.preconditionFailure(key, response.responses[0]?.response_range);
    const previous = response.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!previous) throw new KeyNotFoundError(key);
    return { kv: toKeyValue(previous), revision: Number(response.header.revision) };
  }

  watch(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    this.assertOpen();
    if (afterRevision > 0 && afterRevision < this.compacted) {
      // Known to be gone: say so now instead of opening a stream etcd will cancel.
      const compacted = this.compacted;
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) callbacks.onError(new CompactedError(afterRevision, compacted));
      });
      return { cancel: () => (cancelled = true) };
    }
    return this.fanout.subscribe(prefix, afterRevision, callbacks);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const target = Math.min(revision, await this.currentRevision());
    if (target <= this.compacted) return;
    try {
      await withDeadline(`compact to ${target}`, this.timeoutMs, (deadline) => this.client.kv.compact({ revision: target, physical: false }, { deadline }));
    } catch (error) {
      // Another API server compacted past this already: that is what we wanted.
      if (!isCompactedMessage(error)) throw error;
    }
    this.learnCompaction(target);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fanout.failAll(new StoreClosedError());
    this.client.close();
  }

  private async range(what: string, request: IRangeRequest, atRevision = 0): Promise<IRangeResponse> {
    this.assertOpen();
    try {
      return await withDeadline(what, this.timeoutMs, (deadline) => this.client.kv.range(request, { deadline }));
    } catch (error) {
      if (isCompactedMessage(error)) {
        // etcd does not say up to where; we know it is at least the revision asked for.
        const reported = compactedPattern.exec((error as Error).message);
        this.learnCompaction(Number(reported?.[1] ?? reported?.[2] ?? atRevision));
        throw new CompactedError(atRevision, this.compacted);
      }
      throw error;
    }
  }

  private preconditionFailure(key: string, current: IRangeResponse | undefined): Error {
    const kv = current?.kvs[0];
    return kv ? new RevisionConflictError(key, toKeyValue(kv)) : new KeyNotFoundError(key);
  }

  private learnCompaction(revision: number): void {
    if (revision > this.compacted) this.compacted = revision;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}

/** Compares for "the key exists" and, when given, "its modRevision is the expected one". */
function liveAt(key: Buffer, expectedModRevision: number | undefined): ICompare[] {
  const compares: ICompare[] = [{ key, target: 'Create', result: 'Greater', create_revision: 0 }];
  if (expectedModRevision !== undefined) compares.push({ key, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision });
  return compares;
}
