// SPDY/3 header blocks are one zlib stream per direction, primed with the SPDY dictionary and
// sync-flushed after each block. Incoming blocks go through a real streaming inflater; outgoing
// ones are written as stored (uncompressed) deflate blocks, which every zlib reader accepts and
// which need no compressor state: the few short replies the kubelet sends gain nothing from it.
import { constants, createInflate, type Inflate } from 'node:zlib';
import { spdyDictionary } from './dictionary.js';

/** A header block that inflates to more than this ends the session. */
export const maxHeaderBlockBytes = 256 * 1024;

export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const syncFlushMarker = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32 KiB window), FLG 0xBB (FDICT set, check bits valid), then the dictionary's id.
      const id = Buffer.alloc(4);
      id.writeUInt32BE(adler32(spdyDictionary), 0);
      parts.push(Buffer.from([0x78, 0xbb]), id);
      this.started = true;
    }
    for (let offset = 0; offset < block.length || offset === 0; offset += 0xffff) {
      const piece = block.subarray(offset, offset + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL 0, BTYPE 00 (stored); the stream stays open for the next block.
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      if (block.length === 0) break;
    }
    // The sync-flush marker (an empty stored block): Go's inflater hands out a block's bytes only
    // when it reaches one, and must not read past the frame looking for the next block.
    parts.push(syncFlushMarker);
    return Buffer.concat(parts);
  }
}

export class HeaderDecompressor {
  private readonly inflate: Inflate = createInflate({ dictionary: spdyDictionary });
  private output: Buffer[] = [];
  private outputBytes = 0;
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      if (this.outputBytes <= maxHeaderBlockBytes) this.output.push(chunk);
    });
    this.inflate.on('error', (error) => (this.failure = error));
  }

  /** Inflates one block; blocks must be given in the order they arrived. */
  decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.inflate.write(block);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.failure) return reject(this.failure);
        if (this.outputBytes > maxHeaderBlockBytes) return reject(new Error(`header block larger than ${maxHeaderBlockBytes} bytes`));
        const result = Buffer.concat(this.output);
        this.output = [];
        this.outputBytes = 0;
        resolve(result);
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}
