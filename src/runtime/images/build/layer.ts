// Commits tar entries as one gzip-compressed OCI layer in the content store: the tar is hashed
// (the diffID) and compressed and hashed again (the blob digest) in one pass through a temp file.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ContentStore } from '../content-store.js';
import { mediaTypes, type Descriptor } from '../manifest.js';
import { writeTar, type TarWriteEntry } from '../tar-writer.js';

export interface CommittedLayer {
  descriptor: Descriptor;
  diffId: string;
}

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

export async function commitLayer(content: ContentStore, entries: Iterable<TarWriteEntry> | AsyncIterable<TarWriteEntry>, scratchDir: string): Promise<CommittedLayer> {
  const temp = join(scratchDir, `layer-${randomUUID()}.tar.gz`);
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  try {
    await pipeline(Readable.from(writeTar(entries)), hashing(diffHash), createGzip(), hashing(blobHash), createWriteStream(temp));
    const digest = `sha256:${blobHash.digest('hex')}`;
    const size = (await stat(temp)).size;
    await content.writeStream(createReadStream(temp), digest, size);
    return { descriptor: { mediaType: mediaTypes.ociLayerGzip, digest, size }, diffId: `sha256:${diffHash.digest('hex')}` };
  } finally {
    await rm(temp, { force: true });
  }
}
