// RFC 6455 framing, server side: clients mask what they send, the server never masks. Only what
// the Kubernetes stream protocols need: binary/text data, close, ping/pong, fragmentation.
export const opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A message larger than this closes the connection (1009): channel frames are small. */
export const maxMessageBytes = 16 * 1024 * 1024;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export class FrameTooLargeError extends Error {}

/** Encodes one unmasked frame. */
export function encodeFrame(op: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const header = Buffer.alloc(headerBytes);
  header[0] = (fin ? 0x80 : 0) | op;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Decodes frames from a byte stream, keeping an incomplete frame until more bytes arrive. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private next(): Frame | undefined {
    const data = this.buffered;
    if (data.length < 2) return undefined;
    const first = data[0]!;
    const second = data[1]!;
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return undefined;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return undefined;
      const big = data.readBigUInt64BE(2);
      if (big > BigInt(maxMessageBytes)) throw new FrameTooLargeError(`frame of ${big} bytes exceeds ${maxMessageBytes}`);
      length = Number(big);
      offset = 10;
    }
    if (length > maxMessageBytes) throw new FrameTooLargeError(`frame of ${length} bytes exceeds ${maxMessageBytes}`);
    const masked = (second & 0x80) !== 0;
    const maskOffset = offset;
    if (masked) offset += 4;
    if (data.length < offset + length) return undefined;
    const payload = Buffer.from(data.subarray(offset, offset + length));
    if (masked) {
      for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ data[maskOffset + (i & 3)]!;
    }
    this.buffered = data.subarray(offset + length);
    return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload };
  }
}

/** Encodes a masked frame, as a client sends (used by tests and the port-forward client side). */
export function encodeMaskedFrame(op: number, payload: Buffer, fin = true): Buffer {
  const plain = encodeFrame(op, payload, fin);
  const headerBytes = plain.length - payload.length;
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78].map((b) => (b + payload.length) & 0xff));
  const header = Buffer.from(plain.subarray(0, headerBytes));
  header[1] = header[1]! | 0x80;
  const body = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}
