// The server side of a SPDY/3.1 session: the client opens streams (SYN_STREAM, odd ids), the
// server replies to each (SYN_REPLY) and hands it to the protocol; data frames flow both ways and
// FIN half-closes a stream. PING is answered, GOAWAY ends the session. Flow control is not
// enforced, as Kubernetes' spdystream does not enforce it either.
import { EventEmitter } from 'node:events';
import { decodeHeaderBlock, encodeControlFrame, encodeDataFrame, encodeHeaderBlock, flagFin, frameType, rstStatus, SpdyFrameDecoder, u32, type SpdyFrame } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';

/** Streams one session may have open at once. */
export const maxOpenStreams = 1024;
/** Bytes a stream holds before anyone reads it. */
export const maxStreamBacklogBytes = 1024 * 1024;
/** Outgoing data is cut into frames of at most this size. */
export const maxDataFrameBytes = 32 * 1024;

export interface SpdyStreamEvents {
  data: [Buffer];
  end: [];
  close: [];
}

export class SpdyStream extends EventEmitter<SpdyStreamEvents> {
  private localClosed = false;
  private remoteClosed = false;
  private reset = false;
  /** Data that arrived before the protocol listened (its pair was still incomplete); bounded. */
  private backlog: Buffer[] | undefined = [];
  private backlogBytes = 0;
  private backlogEnded = false;

  constructor(readonly id: number, readonly headers: Record<string, string>, private readonly session: SpdySession) {
    super();
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event !== 'data' || !this.backlog) return;
      const backlog = this.backlog;
      this.backlog = undefined;
      queueMicrotask(() => {
        for (const chunk of backlog) this.emit('data', chunk);
        if (this.backlogEnded) this.emit('end');
      });
    });
  }

  write(data: Buffer): void {
    if (this.localClosed || this.reset) return;
    for (let offset = 0; offset < data.length; offset += maxDataFrameBytes) this.session.send(encodeDataFrame(this.id, 0, data.subarray(offset, offset + maxDataFrameBytes)));
  }

  /** Half-closes our side (an empty data frame with FIN). */
  end(): void {
    if (this.localClosed || this.reset) return;
    this.localClosed = true;
    this.session.send(encodeDataFrame(this.id, flagFin, Buffer.alloc(0)));
    this.maybeClose();
  }

  /** Abandons the stream (RST_STREAM CANCEL). */
  cancel(): void {
    if (this.reset) return;
    this.session.send(encodeControlFrame(frameType.rstStream, 0, Buffer.concat([u32(this.id), u32(rstStatus.cancel)])));
    this.remoteReset();
  }

  /** @internal */
  receive(data: Buffer, fin: boolean): void {
    if (this.remoteClosed || this.reset) return;
    if (this.backlog) {
      this.backlogBytes += data.length;
      if (this.backlogBytes > maxStreamBacklogBytes) return this.cancel();
      if (data.length > 0) this.backlog.push(data);
      if (fin) {
        this.remoteClosed = true;
        this.backlogEnded = true;
        this.maybeClose();
      }
      return;
    }
    if (data.length > 0) this.emit('data', data);
    if (fin) {
      this.remoteClosed = true;
      this.emit('end');
      this.maybeClose();
    }
  }

  /** @internal */
  remoteReset(): void {
    if (this.reset) return;
    this.reset = true;
    this.localClosed = true;
    if (!this.remoteClosed) {
      this.remoteClosed = true;
      this.emit('end');
    }
    this.finish();
  }

  private maybeClose(): void {
    if (this.localClosed && this.remoteClosed) this.finish();
  }

  private finish(): void {
    this.session.forget(this.id);
    this.emit('close');
  }
}

export interface SpdySessionOptions {
  /** Writes session bytes to the transport (a socket, or WebSocket messages). */
  send(data: Buffer): void;
  /** A new stream the client opened; it has been replied to. */
  onStream(stream: SpdyStream): void;
  /** The session is over (GOAWAY or a protocol error); the caller closes the transport. */
  onClose(reason: string): void;
}

export class SpdySession {
  private readonly decoder = new SpdyFrameDecoder();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private queue: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly options: SpdySessionOptions) {}

  /** Feeds transport bytes; frames are handled strictly in order (header inflation is asynchronous). */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail((error as Error).message);
      return;
    }
    for (const frame of frames) {
      this.queue = this.queue.then(() => this.handle(frame)).catch((error: unknown) => this.fail((error as Error).message));
    }
  }

  send(data: Buffer): void {
    if (!this.closed) this.options.send(data);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** Ends every stream and tells the client we are going away. */
  close(reason = 'closed'): void {
    if (this.closed) return;
    this.send(encodeControlFrame(frameType.goAway, 0, Buffer.concat([u32(this.lastStreamId), u32(0)])));
    this.shutdown(reason);
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (this.closed) return;
    if (frame.kind === 'data') {
      this.streams.get(frame.streamId)?.receive(frame.payload, (frame.flags & flagFin) !== 0);
      return;
    }
    const payload = frame.payload;
    switch (frame.type) {
      case frameType.synStream: {
        if (payload.length < 10) throw new Error('short SYN_STREAM');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.decompressor.decompress(payload.subarray(10)));
        if (this.streams.size >= maxOpenStreams) {
          this.send(encodeControlFrame(frameType.rstStream, 0, Buffer.concat([u32(id), u32(rstStatus.refusedStream)])));
          return;
        }
        this.lastStreamId = Math.max(this.lastStreamId, id);
        const stream = new SpdyStream(id, headers, this);
        this.streams.set(id, stream);
        this.send(encodeControlFrame(frameType.synReply, 0, Buffer.concat([u32(id), this.compressor.compress(encodeHeaderBlock({}))])));
        this.options.onStream(stream);
        if (frame.flags & flagFin) stream.receive(Buffer.alloc(0), true);
        return;
      }
      case frameType.rstStream:
        if (payload.length >= 4) this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.remoteReset();
        return;
      case frameType.ping:
        this.send(encodeControlFrame(frameType.ping, 0, payload));
        return;
      case frameType.goAway:
        this.shutdown('the client went away');
        return;
      case frameType.headers:
        // Header blocks share the compression context: inflate to keep it in step.
        if (payload.length > 4) await this.decompressor.decompress(payload.subarray(4));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and anything newer: nothing to do.
        return;
    }
  }

  private fail(reason: string): void {
    this.close(reason);
  }

  private shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of [...this.streams.values()]) stream.remoteReset();
    this.decompressor.close();
    this.options.onClose(reason);
  }
}
