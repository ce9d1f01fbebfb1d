// client-go's EventCorrelator (tools/record/events_cache.go), so a looping problem yields one Event
// with a rising count instead of thousands of objects:
// - spam filter: per source and involved object a token bucket (burst 25, one token per 5 min);
//   events beyond it are dropped;
// - aggregation: more than 10 events alike but for their message (same source, object, type,
//   reason) within 10 min become one "(combined from similar events): <latest message>" event;
// - de-duplication: an event identical to one already sent is sent as a patch of that event
//   (count + 1, lastTimestamp) instead of a new object.
// Pure: the caller does the writes (see event-recorder.ts).
import type { KubeObject } from '../api/object.js';

/** Distinct events remembered for de-duplication and aggregation (upstream's maxLruCacheEntries). */
export const eventCacheMaxEntries = 4096;
/** Similar events within the interval before they are combined (upstream's defaultAggregateMaxEvents). */
export const aggregateMaxEvents = 10;
export const aggregateIntervalMs = 600_000;
/** Upstream's spam filter: 25 events at once per object and source, then one per 5 minutes. */
export const spamBurst = 25;
export const spamRefillMs = 300_000;

export type CorrelatedEvent =
  /** Send as a new Event object. */
  | { action: 'create'; event: KubeObject }
  /** Patch the earlier Event of this name with count and lastTimestamp (and message). */
  | { action: 'patch'; event: KubeObject; patch: { count: number; lastTimestamp: unknown; message: unknown } }
  | { action: 'drop' };

interface Seen {
  name: string;
  count: number;
  firstTimestamp: unknown;
}

interface Similar {
  messages: Set<string>;
  firstMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** A Map used as an LRU: reading an entry moves it to the end, the oldest falls off at the limit. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

const field = (object: unknown, key: string): string => String((object as Record<string, unknown> | undefined)?.[key] ?? '');

function objectKey(event: KubeObject): string {
  const source = event['source'];
  const involved = event['involvedObject'];
  return [field(source, 'component'), field(source, 'host'), field(involved, 'kind'), field(involved, 'namespace'), field(involved, 'name'), field(involved, 'uid'), field(involved, 'apiVersion'), field(involved, 'fieldPath')].join('\u0000');
}

export class EventCorrelator {
  private readonly seen = new Lru<Seen>(eventCacheMaxEntries);
  private readonly similar = new Lru<Similar>(eventCacheMaxEntries);
  private readonly buckets = new Lru<Bucket>(eventCacheMaxEntries);

  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  /** Decides what to do with a freshly built Event (count 1, new name). */
  correlate(event: KubeObject): CorrelatedEvent {
    const now = this.nowMs();
    const object = objectKey(event);
    if (!this.allow(object, now)) return { action: 'drop' };
    const { event: aggregated, key } = this.aggregate(event, object, now);
    const previous = this.seen.get(key);
    if (!previous) {
      this.seen.set(key, { name: aggregated.metadata?.name ?? '', count: 1, firstTimestamp: aggregated['firstTimestamp'] });
      return { action: 'create', event: aggregated };
    }
    previous.count++;
    const event2: KubeObject = {
      ...aggregated,
      metadata: { ...aggregated.metadata, name: previous.name },
      count: previous.count,
      firstTimestamp: previous.firstTimestamp,
    };
    return { action: 'patch', event: event2, patch: { count: previous.count, lastTimestamp: aggregated['lastTimestamp'], message: aggregated['message'] } };
  }


  private allow(object: string, now: number): boolean {
    let bucket = this.buckets.get(object);
    if (!bucket) {
      bucket = { tokens: spamBurst, lastMs: now };
      this.buckets.set(object, bucket);
    }
    const refilled = Math.floor((now - bucket.lastMs) / spamRefillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(spamBurst, bucket.tokens + refilled);
      bucket.lastMs += refilled * spamRefillMs;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }

  /** The event to send and its de-duplication key: combined events share one key whatever their message. */
  private aggregate(event: KubeObject, object: string, now: number): { event: KubeObject; key: string } {
    const key = [object, field(event, 'type'), field(event, 'reason')].join('\u0000');
    let similar = this.similar.get(key);
    if (!similar || now - similar.firstMs > aggregateIntervalMs) {
      similar = { messages: new Set(), firstMs: now };
      this.similar.set(key, similar);
    }
    similar.messages.add(field(event, 'message'));
    if (similar.messages.size < aggregateMaxEvents) return { event, key: `${key}\u0000${field(event, 'message')}` };
    return { event: { ...event, message: `(combined from similar events): ${field(event, 'message')}` }, key: `${key}\u0000(combined)` };
  }
}
