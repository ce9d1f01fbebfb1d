import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../controllers/common/clock.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import { ContainerGc, podStatesOf, type ContainerGcRuntime } from './container-gc.js';
import { defaultGcPolicy, type ContainerGcPolicy } from './policy.js';

const clock = new FakeClock();
const nowNs = (): number => clock.now() * 1e6;

class FakeRuntime implements ContainerGcRuntime {
  containers: ContainerStatus[] = [];
  sandboxes: PodSandboxStatus[] = [];
  stopped: string[] = [];

  sandbox(id: string, uid: string, state: PodSandboxStatus['state'] = 'SANDBOX_READY', ageMs = 60_000): this {
    this.sandboxes.push({ id, state, createdAt: nowNs() - ageMs * 1e6, ip: '', additionalIps: [], netnsPath: '', annotations: {}, metadata: { name: 'p', namespace: 'ns', uid, attempt: 0 }, labels: { 'io.kubernetes.pod.uid': uid } });
    return this;
  }

  /** Instances of a container, oldest first, one a minute apart; the last has `lastState`. */
  instances(sandboxId: string, uid: string, name: string, count: number, lastState: ContainerStatus['state'] = 'CONTAINER_EXITED'): this {
    for (let attempt = 0; attempt < count; attempt++) {
      this.containers.push({
        id: `${uid}-${name}-${attempt}`, metadata: { name, attempt }, state: attempt === count - 1 ? lastState : 'CONTAINER_EXITED',
        createdAt: nowNs() - (count - attempt) * 60_000 * 1e6, startedAt: 0, finishedAt: 0, exitCode: 1, reason: 'Error', message: '', image: 'busybox', imageRef: 'sha256:b',
        labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.name': name }, annotations: {}, logPath: '', podSandboxId: sandboxId,
      });
    }
    return this;
  }

  ids(): string[] {
    return this.containers.map((c) => c.id).sort();
  }

  async listContainers() {
    return this.containers.map((c) => ({ ...c }));
  }
  async stopContainer(id: string) {
    this.stopped.push(id);
  }
  async removeContainer(id: string) {
    this.containers = this.containers.filter((c) => c.id !== id);
  }
  listPodSandbox() {
    return this.sandboxes.map((s) => ({ ...s }));
  }
  async removePodSandbox(id: string) {
    this.containers = this.containers.filter((c) => c.podSandboxId !== id);
    this.sandboxes = this.sandboxes.filter((s) => s.id !== id);
  }
}

const pod = (uid: string, phase = 'Running'): Pod => ({ metadata: { uid, name: uid, namespace: 'ns' }, status: { phase } });

function collector(runtime: FakeRuntime, pods: Pod[], policy: Partial<ContainerGcPolicy> = {}): ContainerGc {
  return new ContainerGc(runtime, () => podStatesOf(pods), { ...defaultGcPolicy.container, ...policy }, clock, () => undefined);
}

test('a crash-looping container keeps its current instance and one dead instance before it; older ones go, oldest first', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'u1').instances('s1', 'u1', 'main', 4);
  await collector(runtime, [pod('u1')]).garbageCollect();
  assert.deepEqual(runtime.ids(), ['u1-main-2', 'u1-main-3']);
});

test('a running instance is never collected and does not count: one dead instance stays beside it', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'u1').instances('s1', 'u1', 'main', 3, 'CONTAINER_RUNNING').instances('s1', 'u1', 'side', 1);
  await collector(runtime, [pod('u1')]).garbageCollect();
  assert.deepEqual(runtime.ids(), ['u1-main-1', 'u1-main-2', 'u1-side-0']);
});

test('--maximum-dead-containers-per-container: 0 keeps only the current instance, negative keeps all', async () => {
  const none = new FakeRuntime().sandbox('s1', 'u1').instances('s1', 'u1', 'main', 3);
  await collector(none, [pod('u1')], { maxPerPodContainer: 0 }).garbageCollect();
  assert.deepEqual(none.ids(), ['u1-main-2']);
  const all = new FakeRuntime().sandbox('s1', 'u1').instances('s1', 'u1', 'main', 3);
  await collector(all, [pod('u1')], { maxPerPodContainer: -1 }).garbageCollect();
  assert.equal(all.ids().length, 3);
});

test('--minimum-container-ttl-duration keeps dead containers younger than it', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'u1').instances('s1', 'u1', 'main', 4);
  // Instances are 4, 3, 2 and 1 minutes old: with a 150 s minimum only the two oldest are candidates.
  await collector(runtime, [pod('u1')], { minAgeMs: 150_000, maxPerPodContainer: 0 }).garbageCollect();
  assert.deepEqual(runtime.ids(), ['u1-main-2', 'u1-main-3']);
});

test('--maximum-dead-containers: an equal share per container first, then the oldest on the node', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'u1').sandbox('s2', 'u2').instances('s1', 'u1', 'a', 4, 'CONTAINER_RUNNING').instances('s2', 'u2', 'b', 4, 'CONTAINER_RUNNING');
  await collector(runtime, [pod('u1'), pod('u2')], { maxPerPodContainer: -1, maxContainers: 3 }).garbageCollect();
  // 6 dead: 1 each is the share (3/2), leaving 2 ≤ 3.
  assert.deepEqual(runtime.ids(), ['u1-a-2', 'u1-a-3', 'u2-b-2', 'u2-b-3']);
  const tight = new FakeRuntime().sandbox('s1', 'u1').sandbox('s2', 'u2').instances('s1', 'u1', 'a', 3, 'CONTAINER_RUNNING').instances('s2', 'u2', 'b', 2, 'CONTAINER_RUNNING');
  await collector(tight, [pod('u1'), pod('u2')], { maxPerPodContainer: -1, maxContainers: 1 }).garbageCollect();
  // The share (at least 1) leaves a-1 and b-0, both two minutes old; then the older by attempt goes.
  assert.deepEqual(tight.ids(), ['u1-a-1', 'u1-a-2', 'u2-b-1']);
});

test('every container and inactive sandbox of a deleted pod goes; containers without pod labels are not the kubelet\'s', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'gone', 'SANDBOX_NOTREADY').instances('s1', 'gone', 'main', 2);
  runtime.containers.push({ ...runtime.containers[0]!, id: 'ctr-run', labels: {}, podSandboxId: 'x' });
  await collector(runtime, []).garbageCollect();
  assert.deepEqual(runtime.ids(), ['ctr-run']);
  assert.deepEqual(runtime.sandboxes, []);
});

test('a live pod keeps its newest sandbox; older sandboxes without containers go', async () => {
  const runtime = new FakeRuntime().sandbox('old', 'u1', 'SANDBOX_NOTREADY', 120_000).sandbox('older', 'u1', 'SANDBOX_NOTREADY', 180_000).sandbox('new', 'u1', 'SANDBOX_NOTREADY', 60_000).instances('older', 'u1', 'main', 1);
  await collector(runtime, [pod('u1')]).garbageCollect();
  assert.deepEqual(runtime.sandboxes.map((s) => s.id).sort(), ['new', 'older'], 'the one holding a container is active');
});

test('reclaiming (evictNonDeletedPods) also removes the containers of finished pods, and stops unknown-state ones first', async () => {
  const runtime = new FakeRuntime().sandbox('s1', 'done', 'SANDBOX_NOTREADY').instances('s1', 'done', 'main', 1).sandbox('s2', 'live').instances('s2', 'live', 'main', 2, 'CONTAINER_UNKNOWN');
  const gc = collector(runtime, [pod('done', 'Succeeded'), pod('live')]);
  await gc.garbageCollect();
  assert.deepEqual(runtime.ids(), ['done-main-0', 'live-main-0', 'live-main-1'], 'a periodic pass keeps a finished pod\'s status');
  await gc.garbageCollect({ evictNonDeletedPods: true });
  assert.deepEqual(runtime.ids(), ['live-main-0', 'live-main-1']);
  assert.deepEqual(runtime.sandboxes.map((s) => s.id), ['s2']);
  assert.deepEqual(runtime.stopped, []);
  await collector(runtime, []).garbageCollect();
  assert.deepEqual(runtime.stopped, ['live-main-1'], 'a container in an unknown state may still run');
});
