import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controllers/common/clock.js';
import type { ContainerStatus, ImageStatus } from '../../runtime/cri/types.js';
import { NodeGarbageCollector } from './garbage-collector.js';
import { defaultGcPolicy } from './policy.js';

function setup() {
  const images: ImageStatus[] = [{ id: 'unused', repoTags: [], repoDigests: [], size: 1 }];
  const dead: ContainerStatus = { id: 'dead', metadata: { name: 'c', attempt: 0 }, state: 'CONTAINER_EXITED', createdAt: 0, startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', image: '', imageRef: 'x', labels: { 'io.kubernetes.pod.uid': 'gone' }, annotations: {}, logPath: '', podSandboxId: 's' };
  let containers = [dead];
  const events: string[] = [];
  const logs: string[] = [];
  const runtime = {
    listContainers: async () => containers,
    stopContainer: async () => undefined,
    removeContainer: async (id: string) => void (containers = containers.filter((c) => c.id !== id)),
    listPodSandbox: () => [],
    removePodSandbox: async () => undefined,
  };
  const gc = new NodeGarbageCollector({
    policy: { ...defaultGcPolicy, image: { highThresholdPercent: 1, lowThresholdPercent: 0, minAgeMs: 0 } },
    containerRuntime: runtime,
    imageRuntime: {
      listImages: () => images,
      removeImage: async (id) => void images.splice(images.findIndex((i) => i.id === id), 1),
      listContainers: runtime.listContainers,
      imageFsInfo: async () => ({ capacityBytes: 100, availableBytes: 50 }),
      sweep: async () => undefined,
    },
    pods: () => [],
    clock: new FakeClock(),
    nodeEvent: (type, reason) => events.push(`${type} ${reason}`),
    log: (m) => logs.push(m),
  });
  return { gc, images, events, logs, containers: () => containers };
}

test('an image GC that cannot free enough is logged the first time and an ImageGCFailed event when it repeats', async () => {
  const { gc, events, images } = setup();
  await gc.collectImages();
  assert.deepEqual(images, [], 'the unused image went');
  assert.deepEqual(events, ['Warning FreeDiskSpaceFailed']);
  await gc.collectImages();
  assert.deepEqual(events, ['Warning FreeDiskSpaceFailed', 'Warning FreeDiskSpaceFailed', 'Warning ImageGCFailed']);
});

test('reclaim frees disk signals only: dead containers and unused images', async () => {
  const { gc, images, containers } = setup();
  await gc.reclaim('memory.available');
  assert.equal(images.length, 1);
  assert.equal(containers().length, 1);
  await gc.reclaim('imagefs.available');
  assert.equal(images.length, 0);
  assert.equal(containers().length, 0);
});
