// Image garbage collection, as upstream's realImageGCManager: images are tracked in memory (when
// first detected, when last used by a container); when the image filesystem is at or above the
// high threshold, unused images are removed least recently used first until usage would be down
// to the low threshold. Images younger than the minimum age (since first detected) are kept.
import type { Clock } from '../../controllers/common/clock.js';
import type { ContainerStatus, ImageStatus } from '../../runtime/cri/types.js';
import type { ImageGcPolicy } from './policy.js';

export interface ImageFsInfo {
  capacityBytes: number;
  availableBytes: number;
}

/** What image GC needs of the runtime (an adapter over the Runtime, or a fake in unit tests). */
export interface ImageGcRuntime {
  listImages(): ImageStatus[] | Promise<ImageStatus[]>;
  removeImage(imageId: string): Promise<void>;
  /** Every container, running or not: an image any of them uses is in use. */
  listContainers(): Promise<ContainerStatus[]>;
  imageFsInfo(): Promise<ImageFsInfo>;
  /** Frees the disk space removed images held (blobs and unpacked layers nothing refers to). */
  sweep(): Promise<void>;
}

export type NodeEventSink = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

interface ImageRecord {
  firstDetectedMs: number;
  lastUsedMs: number;
  sizeBytes: number;
}

export class ImageGcManager {
  private readonly records = new Map<string, ImageRecord>();

  constructor(
    private readonly runtime: ImageGcRuntime,
    private readonly policy: ImageGcPolicy,
    private readonly clock: Clock,
    private readonly event: NodeEventSink,
    private readonly log: (message: string) => void,
  ) {}

  /** Upstream's detectImages: records new images, marks used ones, forgets removed ones; returns the IDs in use. */
  async detectImages(detectTimeMs = this.clock.now()): Promise<Set<string>> {
    const images = await this.runtime.listImages();
    const inUse = new Set((await this.runtime.listContainers()).map((c) => c.imageRef));
    const now = this.clock.now();
    const current = new Set<string>();
    for (const image of images) {
      current.add(image.id);
      let record = this.records.get(image.id);
      if (!record) this.records.set(image.id, (record = { firstDetectedMs: detectTimeMs, lastUsedMs: 0, sizeBytes: image.size }));
      if (inUse.has(image.id)) record.lastUsedMs = now;
      record.sizeBytes = image.size;
    }
    for (const id of this.records.keys()) if (!current.has(id)) this.records.delete(id);
    return inUse;
  }

  /** Unused images, least recently used (then first detected) first. */
  private async imagesInEvictionOrder(freeTimeMs: number): Promise<{ id: string; record: ImageRecord }[]> {
    const inUse = await this.detectImages(freeTimeMs);
    return [...this.records]
      .filter(([id]) => !inUse.has(id))
      .map(([id, record]) => ({ id, record }))
      .sort((a, b) => a.record.lastUsedMs - b.record.lastUsedMs || a.record.firstDetectedMs - b.record.firstDetectedMs);
  }

  /** One periodic pass; throws (upstream's messages) when it could not free enough. */
  async garbageCollect(): Promise<void> {
    const freeTimeMs = this.clock.now();
    const images = await this.imagesInEvictionOrder(freeTimeMs);
    const fs = await this.runtime.imageFsInfo();
    const capacity = fs.capacityBytes;
    const available = Math.min(fs.availableBytes, capacity);
    if (capacity === 0) {
      const message = 'invalid capacity 0 on image filesystem';
      this.event('Warning', 'InvalidDiskCapacity', message);
      throw new Error(message);
    }
    const usagePercent = 100 - Math.trunc((available * 100) / capacity);
    if (usagePercent < this.policy.highThresholdPercent) return;
    const amountToFree = Math.trunc((capacity * (100 - this.policy.lowThresholdPercent)) / 100) - available;
    this.log(`disk usage on image filesystem is at ${usagePercent}%, over the high threshold (${this.policy.highThresholdPercent}%): trying to free ${amountToFree} bytes down to the low threshold (${this.policy.lowThresholdPercent}%)`);
    const freed = await this.freeSpace(amountToFree, freeTimeMs, images);
    if (freed < amountToFree) {
      const message = `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.event('Warning', 'FreeDiskSpaceFailed', message);
      throw new Error(message);
    }
  }

  /** Every unused image old enough (the eviction manager's reclaim under disk pressure). */
  async deleteUnusedImages(): Promise<number> {
    const freeTimeMs = this.clock.now();
    return this.freeSpace(Number.MAX_SAFE_INTEGER, freeTimeMs, await this.imagesInEvictionOrder(freeTimeMs));
  }

  private async freeSpace(bytesToFree: number, freeTimeMs: number, images: { id: string; record: ImageRecord }[]): Promise<number> {
    const failures: string[] = [];
    let freed = 0;
    for (const { id, record } of images) {
      // Used during this pass, or too new: it may be about to be used by a container.
      if (record.lastUsedMs >= freeTimeMs) continue;
      if (freeTimeMs - record.firstDetectedMs < this.policy.minAgeMs) continue;
      try {
        this.log(`removing image ${id} to free ${record.sizeBytes} bytes`);
        await this.runtime.removeImage(id);
        this.records.delete(id);
        freed += record.sizeBytes;
      } catch (error) {
        failures.push((error as Error).message);
        continue;
      }
      if (freed >= bytesToFree) break;
    }
    if (freed > 0) await this.runtime.sweep();
    if (failures.length > 0) throw new Error(`wanted to free ${bytesToFree} bytes, but freed ${freed} bytes space with errors in image deletion: ${failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`}`);
    return freed;
  }
}
