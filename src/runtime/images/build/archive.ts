// ADD of a local tar archive (plain or gzip): its entries are unpacked at the destination, as
// Docker does. Other compressions are copied as files; URLs are refused (fetch them into the
// context and COPY them, which is also what makes the build cache meaningful).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { safeComponents } from '../../snapshots/apply-layer.js';
import { readTar } from '../tar-reader.js';
import type { TarWriteEntry } from '../tar-writer.js';
import { parentEntries, type CopyPlan } from './context.js';

export async function archiveKind(path: string): Promise<'gzip' | 'tar' | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The archive's entries under `dest` (a directory); the cache digest is the archive's bytes. */
export async function planArchive(path: string, kind: 'gzip' | 'tar', dest: string): Promise<Omit<CopyPlan, 'entries'> & { entries: AsyncIterable<TarWriteEntry> }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  hash.update(`\n${dest}`);
  const prefix = dest.replace(/^\/+|\/+$/g, '');
  async function* entries(): AsyncGenerator<TarWriteEntry> {
    yield* parentEntries(`/${prefix}/x`);
    const source = createReadStream(path);
    for await (const entry of readTar(kind === 'gzip' ? source.pipe(createGunzip()) : source)) {
      const parts = safeComponents(entry.header.name);
      if (parts.length === 0) {
        await entry.skip();
        continue;
      }
      const name = [prefix, ...parts].filter(Boolean).join('/');
      const { header } = entry;
      if (header.type === 'other') {
        await entry.skip();
        continue;
      }
      const linkName = header.type === 'hardlink' ? [prefix, ...safeComponents(header.linkName)].filter(Boolean).join('/') : header.linkName;
      yield {
        header: { name, type: header.type, mode: header.mode, uid: header.uid, gid: header.gid, size: header.size, mtimeMs: header.mtimeMs, linkName, devMajor: header.devMajor, devMinor: header.devMinor },
        content: () => entry.content(),
      };
    }
  }
  return { entries: entries(), contentDigest: `sha256:${hash.digest('hex')}` };
}
