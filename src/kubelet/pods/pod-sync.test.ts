// PodSyncer against an in-memory runtime and API: the order it starts containers in, restart
// policies and CrashLoopBackOff with a fake clock, and the status it writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { ApiError, type RestClient } from '../../client/index.js';
import { FakeClock } from '../../controllers/common/clock.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, PodSandboxStatus } from '../../runtime/cri/types.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { KubeletContext } from '../context.js';
import { PodSyncer } from './pod-sync.js';

class FakeRuntime {
  sandboxes: PodSandboxStatus[] = [];
  containers: ContainerStatus[] = [];
  started: string[] = [];
  private next = 0;
  images = { find: (ref: string) => (ref === 'busybox' ? { id: 'sha256:img', names: ['docker.io/library/busybox:latest'], manifestDigest: 'sha256:m', size: 1 } : undefined) };
  constructor(private readonly clock: FakeClock) {}
  imageStatus() {
    return undefined;
  }
  listPodSandbox() {
    return this.sandboxes;
  }
  podSandboxStatus(id: string) {
    return this.sandboxes.find((s) => s.id === id)!;
  }
  async runPodSandbox(config: PodSandboxConfig) {
    const id = `sb${this.next++}`;
    this.sandboxes.push({ id, metadata: config.metadata, state: 'SANDBOX_READY', createdAt: 0, ip: '10.244.0.7', additionalIps: [], netnsPath: '', labels: config.labels ?? {}, annotations: {} });
    return id;
  }
  async stopPodSandbox(id: string) {
    this.podSandboxStatus(id).state = 'SANDBOX_NOTREADY';
  }
  async removePodSandbox(id: string) {
    this.sandboxes = this.sandboxes.filter((s) => s.id !== id);
    this.containers = this.containers.filter((c) => c.podSandboxId !== id);
  }
  async listContainers(filter: { podSandboxId?: string } = {}) {
    return this.containers.filter((c) => !filter.podSandboxId || c.podSandboxId === filter.podSandboxId);
  }
  async createContainer(podSandboxId: string, config: ContainerConfig) {
    const id = `${config.metadata.name}-${config.metadata.attempt}`;
    this.containers.push({ id, metadata: config.metadata, state: 'CONTAINER_CREATED', createdAt: 0, startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', image: config.image, imageRef: 'sha256:img', labels: config.labels ?? {}, annotations: {}, logPath: '', podSandboxId });
    return id;
  }
  async startContainer(id: string) {
    const c = this.containers.find((x) => x.id === id)!;
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.clock.now() * 1e6;
    this.started.push(id);
  }
  async stopContainer(id: string) {
    this.exit(id, 137);
  }
  async removeContainer(id: string) {
    this.containers = this.containers.filter((c) => c.id !== id);
  }
  exit(id: string, code: number) {
    const c = this.containers.find((x) => x.id === id)!;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.reason = code === 0 ? 'Completed' : 'Error';
    c.finishedAt = this.clock.now() * 1e6;
  }
}

function setup(spec: Pod['spec']) {
  const clock = new FakeClock();
  const runtime = new FakeRuntime(clock);
  const statuses: Pod['status'][] = [];
  const deleted: string[] = [];
  const client = {
    resource: () => ({
      updateStatus: async (_ns: string, pod: Pod) => {
        statuses.push(pod.status);
        return pod;
      },
      patch: async (_ns: string, _name: string, body: { status: Pod['status'] }) => {
        statuses.push(body.status);
        return {};
      },
      delete: async (_ns: string, name: string) => {
        deleted.push(name);
        return {};
      },
      create: async (_ns: string, object: unknown) => object,
      list: async () => ({ items: [] }),
      get: async () => {
        throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
      },
    }),
  } as unknown as RestClient;
  const context: KubeletContext = { nodeName: 'n', hostIP: '192.168.0.2', dataDir: '/nonexistent-k8ts-test', runtime: runtime as unknown as Runtime, runtimeName: 'runc', client, clock, nodeAllocatable: () => ({}), log: () => undefined };
  const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec } as Pod & KubeObject;
  return { clock, runtime, statuses, deleted, pod, syncer: new PodSyncer(context) };
}

const c = (name: string, extra: object = {}) => ({ name, image: 'busybox', imagePullPolicy: 'IfNotPresent', ...extra });

test('init containers start one at a time, in order, each after the previous succeeded; then the containers', async () => {
  const { runtime, syncer, pod, statuses } = setup({ initContainers: [c('one'), c('two')], containers: [c('main')] });
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['one-0']);
  assert.equal(statuses.at(-1)?.phase, 'Pending');
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['one-0'], 'nothing more while one runs');
  runtime.exit('one-0', 0);
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['one-0', 'two-0']);
  runtime.exit('two-0', 0);
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['one-0', 'two-0', 'main-0']);
  assert.equal(statuses.at(-1)?.phase, 'Running');
  assert.equal(runtime.sandboxes.length, 1, 'one sandbox throughout');
});

test('a crashing container restarts at once, then waits in CrashLoopBackOff for 10 s', async () => {
  const { runtime, syncer, pod, statuses, clock } = setup({ containers: [c('main')] });
  await syncer.sync(pod);
  runtime.exit('main-0', 1);
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['main-0', 'main-1'], 'first crash: no back-off');
  runtime.exit('main-1', 1);
  const result = await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['main-0', 'main-1']);
  assert.equal(result.requeueAfterMs, 10_000);
  const status = statuses.at(-1)!.containerStatuses![0]!;
  assert.equal(status.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(status.state?.waiting?.message, 'back-off 10s restarting failed container=main pod=p_default(u1)');
  assert.equal(status.restartCount, 1);
  assert.equal(status.lastState?.terminated?.exitCode, 1);
  clock.step(10_000);
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['main-0', 'main-1', 'main-2']);
  assert.equal(runtime.containers.filter((x) => x.metadata.name === 'main').length, 3, 'older dead instances are left to the container GC');
});

test('restartPolicy OnFailure restarts a failure but not a success; Never restarts nothing', async () => {
  const onFailure = setup({ restartPolicy: 'OnFailure', containers: [c('main')] });
  await onFailure.syncer.sync(onFailure.pod);
  onFailure.runtime.exit('main-0', 0);
  await onFailure.syncer.sync(onFailure.pod);
  assert.deepEqual(onFailure.runtime.started, ['main-0']);
  assert.equal(onFailure.statuses.at(-1)?.phase, 'Succeeded');
  assert.equal(onFailure.runtime.sandboxes[0]?.state, 'SANDBOX_NOTREADY', 'a finished pod releases its network');
  const never = setup({ restartPolicy: 'Never', containers: [c('main')] });
  await never.syncer.sync(never.pod);
  never.runtime.exit('main-0', 2);
  await never.syncer.sync(never.pod);
  assert.deepEqual(never.runtime.started, ['main-0']);
  assert.equal(never.statuses.at(-1)?.phase, 'Failed');
});

test('a missing image under pull policy Never waits in ErrImageNeverPull', async () => {
  const { syncer, pod, statuses, runtime } = setup({ containers: [{ name: 'main', image: 'absent:1', imagePullPolicy: 'Never' }] });
  const result = await syncer.sync(pod);
  assert.deepEqual(runtime.started, []);
  assert.equal(statuses.at(-1)?.containerStatuses?.[0]?.state?.waiting?.reason, 'ErrImageNeverPull');
  assert.equal(result.requeueAfterMs, 10_000);
});

test('deletion stops the containers, removes the sandbox and deletes the pod object', async () => {
  const { runtime, syncer, pod, deleted } = setup({ containers: [c('main')] });
  await syncer.sync(pod);
  await syncer.sync({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 1 } });
  assert.equal(runtime.sandboxes.length, 0);
  assert.deepEqual(deleted, ['p']);
});

test('an evicted pod has its containers stopped and is written Failed/Evicted, then never restarted', async () => {
  const { runtime, syncer, pod, statuses } = setup({ containers: [c('main')] });
  await syncer.sync(pod);
  const condition = { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'low', lastTransitionTime: '2024-01-01T00:00:00Z' };
  const done = syncer.requestTermination('u1', { gracePeriodSeconds: 0, reason: 'Evicted', message: 'low', condition });
  await syncer.sync(pod);
  await done;
  // First Failed/Evicted as the containers stop (upstream's status function), then their final states.
  assert.deepEqual([statuses.at(-2)?.phase, statuses.at(-2)?.reason, statuses.at(-2)?.containerStatuses], ['Failed', 'Evicted', undefined]);
  const status = statuses.at(-1)!;
  assert.equal(status.phase, 'Failed');
  assert.equal(status.reason, 'Evicted');
  assert.equal(status.message, 'low');
  assert.deepEqual(status.conditions?.find((x) => x.type === 'DisruptionTarget'), condition);
  assert.equal(status.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
  assert.equal(runtime.sandboxes[0]?.state, 'SANDBOX_NOTREADY');
  // The cache may still say Running: the pod is not started again.
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, ['main-0']);
  assert.ok(syncer.terminatedByKubelet('u1'));
});

test('a new pod refused by admission fails with "Pod was rejected: …" and never starts', async () => {
  const { runtime, syncer, pod, statuses } = setup({ containers: [c('main')] });
  syncer.admit = () => ({ admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' });
  await syncer.sync(pod);
  assert.deepEqual(runtime.started, []);
  assert.equal(runtime.sandboxes.length, 0);
  assert.deepEqual(statuses.at(-1), { phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ', qosClass: 'BestEffort' });
});
