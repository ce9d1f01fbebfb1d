// The filesystem of an earlier stage or another image, for COPY --from: its layers (unpacked
// once into the store's snapshots) merged read-only with overlayfs at a temporary mount point.
// One layer needs no mount: overlayfs wants two lower directories when it has no upper one.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageStore } from '../image-store.js';

const run = promisify(execFile);

export async function withImageFilesystem<T>(store: ImageStore, reference: string, scratchDir: string, use: (dir: string) => Promise<T>): Promise<T> {
  const layers = await store.unpack(await store.resolve(reference));
  const mountPoint = await mkdtemp(join(scratchDir, 'stage-'));
  try {
    if (layers.length === 0) return await use(mountPoint);
    if (layers.length === 1) return await use(layers[0]!);
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${[...layers].reverse().join(':')}`, mountPoint]);
    try {
      return await use(mountPoint);
    } finally {
      await run('umount', [mountPoint]);
    }
  } finally {
    await rm(mountPoint, { recursive: true, force: true });
  }
}
