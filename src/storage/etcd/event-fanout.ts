// Watches for an EtcdStore. One etcd watch over the WHOLE keyspace (the "tap") feeds every
// subscriber, filtered by prefix here. Because the tap sees every write in etcd, in revision
// order, a subscriber whose prefix is quiet still learns the global revision from other keys'
// events (onProgress) with no extra requests, and the ordering is exact. etcd's own progress
// requests are not used: etcd 3.4 before 3.4.25 may send the progress reply ahead of events
// already queued on the stream (etcd-io/etcd#15220), which would tell a cache it is current
// when it is not.
//
// A subscriber that starts behind the tap replays history through its own temporary
// whole-keyspace watch from its start revision until it reaches the revision the tap had when
// it joined; meanwhile the tap's newer events for it are buffered, then handed over.
import type { Etcd3, IEvent } from 'etcd3';
import { CompactedError } from '../errors.js';
import { eventRevision, type StoreEvent, type WatchCallbacks, type WatchHandle } from '../types.js';
import { toKeyValue } from './etcd-client.js';
import { EtcdWatchStream } from './watch-stream.js';

/** The whole keyspace as an etcd range: from the empty key ("\0") to no end ("\0"). */
const everyKey = Buffer.from([0]);

interface Subscriber {
  prefix: string;
  callbacks: WatchCallbacks;
  /** Everything under the prefix up to this revision has been handed over. */
  delivered: number;
  catchUp?: { stream: EtcdWatchStream; target: number; buffered: StoreEvent[] };
}

export class EventFanout {
  private readonly subscribers = new Set<Subscriber>();
  private tap: EtcdWatchStream | undefined;
  /** The revision of the newest event the tap has seen (or where it started). */
  private tapRevision = 0;

  constructor(
    private readonly client: Etcd3,
    /** Told about compactions learned from etcd, so the store can report compactedRevision(). */
    private readonly learnedCompaction: (revision: number) => void,
  ) {}

  subscribe(prefix: string, afterRevision: number, callbacks: WatchCallbacks): WatchHandle {
    const subscriber: Subscriber = { prefix, callbacks, delivered: afterRevision };
    this.subscribers.add(subscriber);
    if (!this.tap) this.startTap(afterRevision);
    else if (afterRevision < this.tapRevision) this.startCatchUp(subscriber, afterRevision);
    return { cancel: () => this.drop(subscriber) };
  }

  /** Ends every subscription with `error` (store closed). */
  failAll(error: Error): void {
    for (const subscriber of [...this.subscribers]) this.fail(subscriber, error);
  }

  private startTap(afterRevision: number): void {
    this.tapRevision = afterRevision;
    this.tap = new EtcdWatchStream(this.client, everyKey, everyKey, afterRevision + 1, {
      onEvents: (raw) => this.fromTap(raw.map(toStoreEvent)),
      onCompacted: (compactRevision) => {
        this.learnedCompaction(compactRevision);
        this.tap = undefined;
        this.failAll(new CompactedError(afterRevision, compactRevision));
      },
      onFailed: (error) => {
        this.tap = undefined;
        this.failAll(error);
      },
    });
  }

  private fromTap(events: StoreEvent[]): void {
    const through = eventRevision(events[events.length - 1]!);
    this.tapRevision = through;
    for (const subscriber of [...this.subscribers]) {
      if (!this.subscribers.has(subscriber)) continue;
      const mine = events.filter((event) => this.wants(subscriber, event));
      if (subscriber.catchUp) subscriber.catchUp.buffered.push(...mine);
      else this.deliver(subscriber, mine, through);
    }
  }

  private startCatchUp(subscriber: Subscriber, afterRevision: number): void {
    // Every revision above 1 is the revision of some event, so a whole-keyspace watch is sure
    // to reach `target` (unless compacted, which fails the subscriber as it should).
    const target = this.tapRevision;
    const buffered: StoreEvent[] = [];
    const stream = new EtcdWatchStream(this.client, everyKey, everyKey, afterRevision + 1, {
      onEvents: (raw) => {
        const events = raw.map(toStoreEvent);
        const through = eventRevision(events[events.length - 1]!);
        const mine = events.filter((event) => eventRevision(event) <= target && this.wants(subscriber, event));
        this.deliver(subscriber, mine, Math.min(through, target));
        if (through < target || !this.subscribers.has(subscriber)) return;
        stream.stop();
        subscriber.catchUp = undefined;
        this.deliver(subscriber, buffered.filter((event) => eventRevision(event) > subscriber.delivered), this.tapRevision);
      },
      onCompacted: (compactRevision) => {
        this.learnedCompaction(compactRevision);
        this.fail(subscriber, new CompactedError(afterRevision, compactRevision));
      },
      onFailed: (error) => this.fail(subscriber, error),
    });
    subscriber.catchUp = { stream, target, buffered };
  }

  private wants(subscriber: Subscriber, event: StoreEvent): boolean {
    return event.kv.key.startsWith(subscriber.prefix) && eventRevision(event) > subscriber.delivered;
  }

  /** Hands over `events`, then says everything up to `through` has been seen. */
  private deliver(subscriber: Subscriber, events: StoreEvent[], through: number): void {
    try {
      if (events.length > 0) {
        subscriber.delivered = eventRevision(events[events.length - 1]!);
        subscriber.callbacks.onEvents(events);
        if (!this.subscribers.has(subscriber)) return;
      }
      if (through > subscriber.delivered) {
        subscriber.delivered = through;
        subscriber.callbacks.onProgress?.(through);
      }
    } catch (error) {
      this.fail(subscriber, error as Error);
    }
  }

  private fail(subscriber: Subscriber, error: Error): void {
    if (!this.subscribers.has(subscriber)) return;
    this.drop(subscriber);
    subscriber.callbacks.onError(error);
  }

  private drop(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    subscriber.catchUp?.stream.stop();
    subscriber.catchUp = undefined;
    if (this.subscribers.size === 0 && this.tap) {
      // Nobody listens: stop streaming every write. The next subscriber starts a new tap.
      this.tap.stop();
      this.tap = undefined;
      this.tapRevision = 0;
    }
  }
}

function toStoreEvent(event: IEvent): StoreEvent {
  const kv = toKeyValue(event.kv);
  if (event.type === 'Put') return { type: 'put', kv, created: kv.createRevision === kv.modRevision };
  // etcd leaves prev_kv out only when that revision was compacted away; keep the key at least.
  const previous = event.prev_kv ? toKeyValue(event.prev_kv) : { key: kv.key, value: '', createRevision: 0, modRevision: 0 };
  return { type: 'delete', kv: previous, revision: kv.modRevision };
}
