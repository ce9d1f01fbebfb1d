import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controllers/common/clock.js';
import type { ContainerStatus, ImageStatus } from '../../runtime/cri/types.js';
import { ImageGcManager, type ImageFsInfo, type ImageGcRuntime } from './image-gc.js';
import { defaultGcPolicy, type ImageGcPolicy } from './policy.js';

class FakeImages implements ImageGcRuntime {
  images: ImageStatus[] = [];
  containerImages: string[] = [];
  fs: ImageFsInfo = { capacityBytes: 1000, availableBytes: 100 };
  removed: string[] = [];
  sweeps = 0;
  failing = new Set<string>();

  add(id: string, size: number): this {
    this.images.push({ id, repoTags: [`docker.io/library/${id}:1`], repoDigests: [], size });
    return this;
  }
  listImages() {
    return this.images;
  }
  async removeImage(id: string) {
    if (this.failing.has(id)) throw new Error(`image "${id}" is busy`);
    this.images = this.images.filter((i) => i.id !== id);
    this.removed.push(id);
    this.fs = { ...this.fs, availableBytes: this.fs.availableBytes + 0 };
  }
  async listContainers() {
    return this.containerImages.map((imageRef) => ({ imageRef }) as ContainerStatus);
  }
  async imageFsInfo() {
    return this.fs;
  }
  async sweep() {
    this.sweeps++;
  }
}

function manager(runtime: FakeImages, clock: FakeClock, policy: Partial<ImageGcPolicy> = {}) {
  const events: string[] = [];
  const gc = new ImageGcManager(runtime, { ...defaultGcPolicy.image, ...policy }, clock, (type, reason, message) => events.push(`${type} ${reason} ${message}`), () => undefined);
  return { gc, events };
}

test('below the high threshold nothing is removed', async () => {
  const clock = new FakeClock();
  const runtime = new FakeImages().add('a', 10);
  runtime.fs = { capacityBytes: 1000, availableBytes: 160 }; // 84% used
  const { gc } = manager(runtime, clock, { minAgeMs: 0 });
  await gc.garbageCollect();
  assert.deepEqual(runtime.removed, []);
});

test('above it, unused images go least recently used first until usage would reach the low threshold; used ones stay', async () => {
  const clock = new FakeClock();
  const runtime = new FakeImages().add('old', 60).add('newer', 60).add('unused-never', 30).add('running', 500);
  runtime.containerImages = ['old', 'newer', 'running'];
  const { gc, events } = manager(runtime, clock);
  await gc.detectImages();
  clock.step(60_000);
  runtime.containerImages = ['newer', 'running'];
  await gc.detectImages();
  clock.step(60_000);
  runtime.containerImages = ['running'];
  clock.step(60_000);
  // 90% used, low threshold 80%: 100 bytes to free. Never-used (lastUsed 0) first, then `old`, then `newer`.
  await gc.garbageCollect();
  assert.deepEqual(runtime.removed, ['unused-never', 'old', 'newer']);
  assert.equal(runtime.sweeps, 1, 'the content store is swept so the space is really freed');
  assert.deepEqual(events, []);
});

test('--image-minimum-gc-age keeps images detected recently; not freeing enough is FreeDiskSpaceFailed', async () => {
  const clock = new FakeClock();
  const runtime = new FakeImages().add('aged', 10);
  const { gc, events } = manager(runtime, clock, { minAgeMs: 120_000 });
  await gc.detectImages();
  clock.step(121_000);
  runtime.add('young', 500);
  await assert.rejects(gc.garbageCollect(), /^Error: Failed to garbage collect required amount of images\. Attempted to free 100 bytes, but only found 10 bytes eligible to free\.$/);
  assert.deepEqual(runtime.removed, ['aged']);
  assert.deepEqual(events, ['Warning FreeDiskSpaceFailed Failed to garbage collect required amount of images. Attempted to free 100 bytes, but only found 10 bytes eligible to free.']);
});

test('a failed removal is reported with the amounts, and the others still go', async () => {
  const clock = new FakeClock();
  const runtime = new FakeImages().add('busy', 50).add('free', 200);
  runtime.failing.add('busy');
  const { gc } = manager(runtime, clock, { minAgeMs: 0 });
  await assert.rejects(gc.garbageCollect(), /wanted to free 100 bytes, but freed 200 bytes space with errors in image deletion: image "busy" is busy/);
  assert.deepEqual(runtime.removed, ['free']);
});

test('a zero capacity is InvalidDiskCapacity; deleteUnusedImages removes every unused image old enough', async () => {
  const clock = new FakeClock();
  const runtime = new FakeImages().add('a', 1).add('b', 1).add('used', 1);
  runtime.containerImages = ['used'];
  runtime.fs = { capacityBytes: 0, availableBytes: 0 };
  const { gc, events } = manager(runtime, clock, { minAgeMs: 0 });
  await assert.rejects(gc.garbageCollect(), /invalid capacity 0 on image filesystem/);
  assert.deepEqual(events, ['Warning InvalidDiskCapacity invalid capacity 0 on image filesystem']);
  assert.equal(await gc.deleteUnusedImages(), 2);
  assert.deepEqual(runtime.removed.sort(), ['a', 'b']);
});
