// Image GC over k8ts's runtime: the image filesystem is the one holding <runtime root>/images
// (statfs, as upstream's ImageFsInfo), and removing an image frees space only once the blobs and
// unpacked layers no image refers to any more are swept from the content store.
import { existsSync } from 'node:fs';
import { readFile, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildCache } from '../../runtime/images/build/cache.js';
import { sweepUnreferenced } from '../../runtime/images/gc.js';
import type { ImageRecord } from '../../runtime/images/image-store.js';
import type { Runtime } from '../../runtime/runtime.js';
import { unreferencedBlobGraceMs } from '../limits.js';
import type { ImageFsInfo, ImageGcRuntime } from './image-gc.js';

export async function statfsInfo(path: string): Promise<ImageFsInfo> {
  const info = await statfs(path);
  return { capacityBytes: info.blocks * info.bsize, availableBytes: info.bavail * info.bsize };
}

export function runtimeImageGc(runtime: Runtime): ImageGcRuntime {
  const imagesDir = join(runtime.options.root, 'images');
  return {
    listImages: async () => {
      await adoptStoredImages(runtime, imagesDir);
      return runtime.listImages();
    },
    removeImage: (id) => runtime.removeImage(id),
    listContainers: () => runtime.listContainers(),
    imageFsInfo: () => statfsInfo(imagesDir),
    sweep: async () => {
      await adoptStoredImages(runtime, imagesDir);
      const keep = new Set<string>();
      // The build cache's layers, and blobs written lately: a pull writes its blobs before it
      // registers the image that refers to them.
      const cache = new BuildCache(join(imagesDir, 'build-cache.json'));
      await cache.load();
      for (const layer of cache.layers()) keep.add(layer.digest);
      const now = Date.now();
      for (const digest of await runtime.images.content.list()) {
        const modifiedMs = await stat(runtime.images.content.path(digest)).then((s) => s.mtimeMs, () => 0);
        if (now - modifiedMs < unreferencedBlobGraceMs) keep.add(digest);
      }
      await sweepUnreferenced(runtime.images, keep);
    },
  };
}

/**
 * Images another process (`k8ts image import`, `tag`) stored since the runtime loaded its list:
 * registered here too, so the sweep does not take their blobs for garbage.
 */
async function adoptStoredImages(runtime: Runtime, imagesDir: string): Promise<void> {
  const file = join(imagesDir, 'images.json');
  if (!existsSync(file)) return;
  const stored = JSON.parse(await readFile(file, 'utf8')) as ImageRecord[];
  const known = new Set(runtime.images.list().map((r) => r.manifestDigest));
  for (const record of stored) {
    if (known.has(record.manifestDigest)) continue;
    for (const name of record.names) await runtime.images.register(name, record.manifestDigest).catch(() => undefined);
  }
}
