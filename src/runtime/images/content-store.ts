// Content-addressed blobs (containerd's content store): blobs/sha256/<hex>, written to a temp
// file while hashing and renamed into place only when the digest matches, so a blob on disk is
// always exactly what its name says.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';

export class DigestMismatchError extends Error {}

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function digestHex(digest: string): string {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!match) throw new Error(`unsupported digest "${digest}" (only sha256)`);
  return match[1]!;
}

export class ContentStore {
  private readonly blobs: string;
  private readonly ingest: string;

  constructor(root: string) {
    this.blobs = join(root, 'blobs', 'sha256');
    this.ingest = join(root, 'ingest');
  }

  async init(): Promise<void> {
    await mkdir(this.blobs, { recursive: true });
    await mkdir(this.ingest, { recursive: true });
  }

  path(digest: string): string {
    return join(this.blobs, digestHex(digest));
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.path(digest)).then(() => true, () => false);
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.path(digest))).size;
  }

  read(digest: string): Promise<Buffer> {
    return readFile(this.path(digest));
  }

  stream(digest: string): Readable {
    return createReadStream(this.path(digest));
  }

  async writeBytes(bytes: Buffer, expected?: string): Promise<string> {
    const digest = sha256Digest(bytes);
    if (expected && expected !== digest) throw new DigestMismatchError(`digest mismatch: expected ${expected}, got ${digest}`);
    if (await this.has(digest)) return digest;
    const temp = join(this.ingest, randomUUID());
    await pipeline(async function* () {
      yield bytes;
    }, createWriteStream(temp, { mode: 0o644 }));
    await rename(temp, this.path(digest));
    return digest;
  }

  /** Streams a blob in, verifying its digest (and size when given); `onBytes` reports progress. */
  async writeStream(source: AsyncIterable<Buffer | Uint8Array>, expected: string, expectedSize?: number, onBytes?: (n: number) => void): Promise<void> {
    if (await this.has(expected)) return;
    const temp = join(this.ingest, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        onBytes?.(chunk.length);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(temp, { mode: 0o644 }));
      const digest = `sha256:${hash.digest('hex')}`;
      if (digest !== expected) throw new DigestMismatchError(`digest mismatch: expected ${expected}, got ${digest}`);
      if (expectedSize !== undefined && size !== expectedSize) throw new DigestMismatchError(`size mismatch for ${expected}: expected ${expectedSize} bytes, got ${size}`);
      await rename(temp, this.path(expected));
    } finally {
      await rm(temp, { force: true });
    }
  }

  async list(): Promise<string[]> {
    return (await readdir(this.blobs)).map((hex) => `sha256:${hex}`);
  }

  async delete(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }
}
