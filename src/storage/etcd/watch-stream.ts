// One etcd watcher on its own gRPC stream. When the stream breaks (member killed, network),
// it reconnects, possibly to another member, and resumes from the revision after the last
// event it passed on, so the events handed out have no gaps and no repeats.
import type { Etcd3, IEvent, IWatchResponse } from 'etcd3';

/** Reconnect backoff: starts small so a failover is quick, capped so a long outage is not hammered. */
const reconnectFirstDelayMs = 50;
const reconnectMaxDelayMs = 2_000;

export interface WatchStreamHandlers {
  /** The events of one etcd response, in revision order; every revision is complete. */
  onEvents(events: IEvent[]): void;
  /** The start revision is older than etcd's compaction; the stream has stopped. */
  onCompacted(compactRevision: number): void;
  /** etcd ended the watch for another reason (permission, bad request); the stream has stopped. */
  onFailed(error: Error): void;
}

type WatchDuplex = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

export class EtcdWatchStream {
  private nextRevision: number;
  private stream: WatchDuplex | undefined;
  private stopped = false;
  private reconnects = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly key: Buffer,
    private readonly rangeEnd: Buffer,
    startRevision: number,
    private readonly handlers: WatchStreamHandlers,
  ) {
    this.nextRevision = startRevision;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let stream: WatchDuplex;
    try {
      stream = await this.client.watchClient.watch();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on('data', (response) => this.receive(stream, response));
    // A cancelled stream also reports an error; only the current stream's failures matter.
    stream.on('error', () => this.lost(stream));
    stream.on('end', () => this.lost(stream));
    stream.write({
      create_request: { key: this.key, range_end: this.rangeEnd, start_revision: this.nextRevision, prev_kv: true },
    });
  }

  private receive(stream: WatchDuplex, response: IWatchResponse): void {
    if (stream !== this.stream || this.stopped) return;
    this.reconnects = 0;
    const compactRevision = Number(response.compact_revision);
    if (compactRevision > 0) {
      this.stop();
      this.handlers.onCompacted(compactRevision);
      return;
    }
    if (response.canceled) {
      this.stop();
      this.handlers.onFailed(new Error(`etcd ended the watch: ${response.cancel_reason || 'no reason given'}`));
      return;
    }
    const events = response.events;
    if (events.length === 0) return;
    this.nextRevision = Number(events[events.length - 1]!.kv.mod_revision) + 1;
    this.handlers.onEvents(events);
  }

  private lost(stream: WatchDuplex): void {
    if (stream !== this.stream || this.stopped) return;
    this.stream = undefined;
    stream.cancel();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(reconnectFirstDelayMs * 2 ** this.reconnects, reconnectMaxDelayMs);
    this.reconnects++;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
