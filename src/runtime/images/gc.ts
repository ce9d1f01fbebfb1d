// Image garbage collection, as the kubelet's image GC manager does it: when the disk holding
// the images is more than imageGCHighThresholdPercent (85) full, unused images are removed,
// least recently used first, until usage is down to imageGCLowThresholdPercent (80). Then
// blobs and unpacked snapshots no remaining image refers to are removed.
import { rm, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chainIds, type ImageRecord, type ImageStore } from './image-store.js';
import { parseImageConfig, parseManifestDocument } from './manifest.js';

export const defaultImageGcHighThresholdPercent = 85;
export const defaultImageGcLowThresholdPercent = 80;
/** kubelet's ImageMinimumGCAge: an image just pulled is not collected before a container can use it. */
export const defaultImageMinimumGcAgeMs = 2 * 60 * 1000;

export interface DiskUsage {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGcOptions {
  /** Image IDs (config digests) some container uses; never removed. */
  inUse: ReadonlySet<string>;
  highThresholdPercent?: number;
  lowThresholdPercent?: number;
  minimumAgeMs?: number;
  /** When an image was last used (ms since the epoch); defaults to when its manifest was stored. */
  lastUsedMs?: (record: ImageRecord) => number | undefined;
  /** The filesystem's usage; defaults to statfs of the store's directory. */
  diskUsage?: () => Promise<DiskUsage>;
  /** Blobs to keep although no image refers to them (the build cache's layers). */
  keepBlobs?: ReadonlySet<string>;
  now?: () => number;
}

export interface ImageGcResult {
  removedImages: ImageRecord[];
  removedBlobs: number;
  removedSnapshots: number;
  /** Bytes of blobs and snapshots removed (sizes on disk, as far as known). */
  freedBytes: number;
}

async function statfsUsage(path: string): Promise<DiskUsage> {
  const info = await statfs(path);
  return { capacityBytes: info.blocks * info.bsize, availableBytes: info.bavail * info.bsize };
}

function storeDir(store: ImageStore): string {
  // <root>/blobs/sha256/<hex> → <root>
  return dirname(dirname(dirname(store.content.path(`sha256:${'0'.repeat(64)}`))));
}

/** Removes unused images until the disk is below the low threshold, if it is above the high one. */
export async function garbageCollectImages(store: ImageStore, options: ImageGcOptions): Promise<ImageGcResult> {
  const high = options.highThresholdPercent ?? defaultImageGcHighThresholdPercent;
  const low = options.lowThresholdPercent ?? defaultImageGcLowThresholdPercent;
  if (low > high) throw new Error(`imageGCLowThresholdPercent (${low}) must not exceed imageGCHighThresholdPercent (${high})`);
  const usage = await (options.diskUsage ?? (() => statfsUsage(storeDir(store))))();
  const usedPercent = usage.capacityBytes > 0 ? 100 - (usage.availableBytes * 100) / usage.capacityBytes : 0;
  const removedImages: ImageRecord[] = [];
  if (usedPercent >= high) {
    const amountToFree = (usage.capacityBytes * (100 - low)) / 100 - usage.availableBytes;
    const now = (options.now ?? Date.now)();
    const minimumAgeMs = options.minimumAgeMs ?? defaultImageMinimumGcAgeMs;
    const candidates: { record: ImageRecord; lastUsed: number }[] = [];
    for (const record of store.list()) {
      if (options.inUse.has(record.id)) continue;
      const stored = await stat(store.content.path(record.manifestDigest)).then((s) => s.mtimeMs, () => 0);
      const lastUsed = options.lastUsedMs?.(record) ?? stored;
      if (now - stored < minimumAgeMs) continue;
      candidates.push({ record, lastUsed });
    }
    candidates.sort((a, b) => a.lastUsed - b.lastUsed);
    let freed = 0;
    for (const { record } of candidates) {
      if (freed >= amountToFree) break;
      for (const name of [...record.names]) await store.remove(name);
      if (record.names.length === 0 && store.list().includes(record)) await store.remove(record.id);
      removedImages.push(record);
      freed += record.size;
    }
  }
  const swept = await sweepUnreferenced(store, options.keepBlobs ?? new Set());
  return { removedImages, ...swept };
}

/** Removes blobs and snapshots that no remaining image (or `keepBlobs`) refers to. */
export async function sweepUnreferenced(store: ImageStore, keepBlobs: ReadonlySet<string>): Promise<Omit<ImageGcResult, 'removedImages'>> {
  const blobs = new Set(keepBlobs);
  const chains = new Set<string>();
  for (const record of store.list()) {
    blobs.add(record.manifestDigest);
    const parsed = parseManifestDocument(await store.content.read(record.manifestDigest));
    if (parsed.kind !== 'manifest') continue;
    blobs.add(parsed.manifest.config.digest);
    for (const layer of parsed.manifest.layers) blobs.add(layer.digest);
    const config = parseImageConfig(await store.content.read(parsed.manifest.config.digest));
    for (const chain of chainIds(config.rootfs.diff_ids)) chains.add(chain);
  }
  let removedBlobs = 0;
  let removedSnapshots = 0;
  let freedBytes = 0;
  for (const digest of await store.content.list()) {
    if (blobs.has(digest)) continue;
    freedBytes += await store.content.size(digest).catch(() => 0);
    await store.content.delete(digest);
    removedBlobs++;
  }
  for (const chain of await store.snapshotChains()) {
    if (chains.has(chain)) continue;
    await rm(dirname(store.snapshotDir(chain)), { recursive: true, force: true });
    removedSnapshots++;
  }
  return { removedBlobs, removedSnapshots, freedBytes };
}
