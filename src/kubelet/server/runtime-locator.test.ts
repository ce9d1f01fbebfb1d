import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import { pickContainer, pickPodIP } from './runtime-locator.js';

const container = (id: string, createdAt: number, state: ContainerStatus['state'], uid = 'u1', name = 'c'): ContainerStatus => ({
  id, createdAt, state, metadata: { name, attempt: 0 }, startedAt: 0, finishedAt: 0, exitCode: 0, reason: '', message: '', image: '', imageRef: '', annotations: {},
  labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.container.name': name },
  logPath: `/logs/${id}.log`, podSandboxId: 's',
});

test('the newest instance is current and the exited one before it of the same pod UID is previous', () => {
  const all = [container('old-pod', 1, 'CONTAINER_EXITED', 'u0'), container('first', 2, 'CONTAINER_EXITED'), container('second', 3, 'CONTAINER_RUNNING'), container('other', 4, 'CONTAINER_RUNNING', 'u1', 'd')];
  assert.deepEqual(pickContainer(all, 'ns', 'p', 'c'), { containerId: 'second', logPath: '/logs/second.log', previousLogPath: '/logs/first.log', running: true });
  assert.deepEqual(pickContainer([container('only', 1, 'CONTAINER_EXITED', 'u1')], 'ns', 'p', 'c'), { containerId: 'only', logPath: '/logs/only.log', running: false });
  assert.equal(pickContainer(all, 'ns', 'q', 'c'), undefined);
});

test('the pod IP is the ready sandbox one', () => {
  const sandbox = (ip: string, state: PodSandboxStatus['state'], createdAt: number): PodSandboxStatus => ({
    id: ip, ip, state, createdAt, additionalIps: [], netnsPath: '', annotations: {}, metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 },
    labels: { 'io.kubernetes.pod.name': 'p', 'io.kubernetes.pod.namespace': 'ns' },
  });
  assert.equal(pickPodIP([sandbox('10.0.0.2', 'SANDBOX_NOTREADY', 5), sandbox('10.0.0.3', 'SANDBOX_READY', 1)], 'ns', 'p'), '10.0.0.3');
  assert.equal(pickPodIP([], 'ns', 'p'), undefined);
});
