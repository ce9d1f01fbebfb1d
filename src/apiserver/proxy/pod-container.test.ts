import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../api/errors.js';
import { checkLogsAvailable, resolveContainerName, type PodLike } from './pod-container.js';

const pod = (containers: string[], init: string[] = [], statuses: NonNullable<PodLike['status']>['containerStatuses'] = []): PodLike => ({
  metadata: { name: 'p' },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
  status: { containerStatuses: statuses },
});

const rejects = (fn: () => unknown, message: string): void =>
  assert.throws(fn, (error: unknown) => error instanceof StatusError && error.code === 400 && error.reason === 'BadRequest' && error.message === message);

test('the only container is the default; several need a name, listed as upstream lists them', () => {
  assert.equal(resolveContainerName(pod(['a']), null), 'a');
  rejects(() => resolveContainerName(pod(['a', 'b']), null), 'a container name must be specified for pod p, choose one of: [a b]');
  rejects(() => resolveContainerName(pod(['a', 'b'], ['i']), ''), 'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]');
  rejects(() => resolveContainerName(pod(['a']), 'x'), 'container x is not valid for pod p');
  assert.equal(resolveContainerName(pod(['a'], ['i']), 'i'), 'i');
});

test('logs of a waiting, never-run or never-restarted container fail with the kubelet messages', () => {
  rejects(() => checkLogsAvailable(pod(['c']), 'c', false), 'container "c" in pod "p" is waiting to start: ContainerCreating');
  rejects(() => checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }]), 'c', false), 'container "c" in pod "p" is waiting to start: ContainerCreating');
  rejects(() => checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff' } } }]), 'c', false), 'container "c" in pod "p" is waiting to start: trying and failing to pull image');
  rejects(() => checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { running: {} } }]), 'c', true), 'previous terminated container "c" in pod "p" not found');
  checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { running: {} } }]), 'c', false);
  checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'x' } } }]), 'c', false);
  checkLogsAvailable(pod(['c'], [], [{ name: 'c', state: { running: {} }, lastState: { terminated: { containerID: 'x' } } }]), 'c', true);
});
