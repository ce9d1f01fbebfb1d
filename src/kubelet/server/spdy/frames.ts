// SPDY/3.1 framing (the subset the Kubernetes stream protocols use): control frames SYN_STREAM,
// SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE, and data frames.
//   control: 1 | version(15) = 3 | type(16) | flags(8) | length(24) | payload
//   data:    0 | stream id(31)               | flags(8) | length(24) | payload
export const spdyVersion = 3;
export const frameType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const flagFin = 0x01;
/** RST_STREAM status codes. */
export const rstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 } as const;
/** A frame longer than this ends the session: Kubernetes' peers send at most 32 KiB of data per frame. */
export const maxFrameBytes = 16 * 1024 * 1024;

export type SpdyFrame =
  | { kind: 'control'; type: number; flags: number; payload: Buffer }
  | { kind: 'data'; streamId: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {}

export class SpdyFrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUIntBE(5, 3);
      if (length > maxFrameBytes) throw new SpdyProtocolError(`frame of ${length} bytes exceeds ${maxFrameBytes}`);
      if (this.buffered.length < 8 + length) break;
      const word = this.buffered.readUInt32BE(0);
      const flags = this.buffered[4]!;
      const payload = Buffer.from(this.buffered.subarray(8, 8 + length));
      this.buffered = this.buffered.subarray(8 + length);
      if (word & 0x80000000) {
        const version = (word >>> 16) & 0x7fff;
        if (version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: word & 0xffff, flags, payload });
      } else {
        frames.push({ kind: 'data', streamId: word & 0x7fffffff, flags, payload });
      }
    }
    return frames;
  }
}

function header(first: number, flags: number, length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt32BE(first >>> 0, 0);
  buffer[4] = flags;
  buffer.writeUIntBE(length, 5, 3);
  return buffer;
}

export function encodeControlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x80000000 | (spdyVersion << 16) | type) >>> 0, flags, payload.length), payload]);
}

export function encodeDataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, flags, payload.length), payload]);
}

/** An uncompressed name/value block: count, then each name and value with 32-bit lengths (values joined by NUL). */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let offset = 0;
  const read = (): Buffer => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new SpdyProtocolError('truncated header block');
    const value = block.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  offset = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('latin1');
    headers[name] = read().toString('latin1');
  }
  return headers;
}

export function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0, 0);
  return buffer;
}
