import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../../runtime/cri/types.js';
import { computePodStatus, type ContainerView } from './status.js';

const sec = 1e9;
const instance = (name: string, attempt: number, state: ContainerStatus['state'], exitCode = 0, reason = ''): ContainerStatus => ({
  id: `${name}-${attempt}`,
  metadata: { name, attempt },
  state,
  createdAt: 1_700_000_000 * sec,
  startedAt: 1_700_000_001 * sec,
  finishedAt: state === 'CONTAINER_EXITED' ? 1_700_000_002 * sec : 0,
  exitCode,
  reason,
  message: '',
  image: 'busybox',
  imageRef: 'sha256:abc',
  labels: {},
  annotations: {},
  logPath: '',
  podSandboxId: 'sb',
});

function status(pod: Pod, containers: Record<string, ContainerView>) {
  return computePodStatus({ pod, sandboxReady: true, podIPs: ['10.244.0.9'], hostIP: '192.168.0.2', runtimeName: 'runc', containers: new Map(Object.entries(containers)), imageId: () => 'docker.io/library/busybox@sha256:def', nowMs: Date.parse('2024-01-01T00:00:00Z') });
}
const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec } });

test('a running container makes the pod Running and Ready with its IP and container ID', () => {
  const s = status(pod({}), { main: { latest: instance('main', 0, 'CONTAINER_RUNNING') } });
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.244.0.9');
  assert.equal(s.qosClass, 'BestEffort');
  const main = s.containerStatuses![0]!;
  assert.equal(main.containerID, 'runc://main-0');
  assert.equal(main.ready, true);
  assert.ok(main.state?.running?.startedAt);
  assert.deepEqual(s.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
});

test('restartPolicy Never: exit 0 is Succeeded with PodCompleted, exit 1 is Failed with Error', () => {
  const ok = status(pod({ restartPolicy: 'Never' }), { main: { latest: instance('main', 0, 'CONTAINER_EXITED', 0, 'Completed') } });
  assert.equal(ok.phase, 'Succeeded');
  assert.equal(ok.containerStatuses![0]!.state?.terminated?.reason, 'Completed');
  assert.equal(ok.conditions!.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  const failed = status(pod({ restartPolicy: 'Never' }), { main: { latest: instance('main', 0, 'CONTAINER_EXITED', 1, 'Error') } });
  assert.equal(failed.phase, 'Failed');
  assert.equal(failed.containerStatuses![0]!.state?.terminated?.exitCode, 1);
});

test('a container in back-off waits in CrashLoopBackOff with its last termination and restart count', () => {
  const message = 'back-off 10s restarting failed container=main pod=p_default(u)';
  const s = status(pod({}), { main: { latest: instance('main', 2, 'CONTAINER_EXITED', 1, 'Error'), previous: instance('main', 1, 'CONTAINER_EXITED', 1, 'Error'), waiting: { reason: 'CrashLoopBackOff', message } } });
  const main = s.containerStatuses![0]!;
  assert.equal(s.phase, 'Running');
  assert.deepEqual(main.state, { waiting: { reason: 'CrashLoopBackOff', message } });
  assert.equal(main.lastState?.terminated?.containerID, 'runc://main-2');
  assert.equal(main.restartCount, 2);
  assert.equal(main.ready, false);
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [main]');
});

test('while init containers run the pod is Pending, not Initialized, and containers wait in PodInitializing', () => {
  const p = pod({ initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }] });
  const s = status(p, { one: { latest: instance('one', 0, 'CONTAINER_EXITED', 0, 'Completed') }, two: { latest: instance('two', 0, 'CONTAINER_RUNNING') } });
  assert.equal(s.phase, 'Pending');
  assert.equal(s.initContainerStatuses![0]!.ready, true);
  assert.equal(s.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
  const initialized = s.conditions!.find((c) => c.type === 'Initialized')!;
  assert.equal(initialized.status, 'False');
  assert.equal(initialized.message, 'containers with incomplete status: [two]');
});

test('a sidecar init container counts as initialized once started', () => {
  const p = pod({ initContainers: [{ name: 'side', image: 'busybox', restartPolicy: 'Always' }] });
  const s = status(p, { side: { latest: instance('side', 0, 'CONTAINER_RUNNING') }, main: { latest: instance('main', 0, 'CONTAINER_RUNNING') } });
  assert.equal(s.phase, 'Running');
  assert.equal(s.conditions!.find((c) => c.type === 'Initialized')?.status, 'True');
});

test('a deleted pod whose containers were stopped gets a final phase whatever its restartPolicy', () => {
  const view = { main: { latest: instance('main', 0, 'CONTAINER_EXITED', 137, 'Error') } };
  const p = pod({});
  const running = computePodStatus({ pod: p, sandboxReady: false, podIPs: [], hostIP: 'h', runtimeName: 'runc', containers: new Map(Object.entries(view)), imageId: () => '', nowMs: 0 });
  assert.equal(running.phase, 'Running', 'restartPolicy Always: a restart is coming');
  const final = computePodStatus({ pod: p, sandboxReady: false, podIPs: [], hostIP: 'h', runtimeName: 'runc', containers: new Map(Object.entries(view)), imageId: () => '', nowMs: 0, terminal: true });
  assert.equal(final.phase, 'Failed');
  assert.equal(final.conditions!.find((c) => c.type === 'PodReadyToStartContainers')?.status, 'False');
});
