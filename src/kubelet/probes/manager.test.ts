// The prober manager with exec probes run as local processes (the runtime's exec stand-in):
// readiness gated by startup, and a liveness failure that kills the container with upstream's
// events.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RestClient } from '../../client/index.js';
import { realClock } from '../../controllers/common/clock.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { KubeletContext } from '../context.js';
import { ProbeManager, type RunningContainer } from './manager.js';

function setup() {
  const events: string[] = [];
  const client = { resource: () => ({ create: async (_ns: string, e: { reason: string; message: string }) => (events.push(`${e.reason}: ${e.message}`), e) }) } as unknown as RestClient;
  const runtime = { exec: async (_id: string, cmd: string[]) => spawn(cmd[0]!, cmd.slice(1)) } as unknown as Runtime;
  const context: KubeletContext = { nodeName: 'n', hostIP: '127.0.0.1', dataDir: '/nonexistent', runtime, runtimeName: 'runc', client, clock: realClock, nodeAllocatable: () => ({}), log: () => undefined };
  const killed: string[] = [];
  const manager = new ProbeManager(context, async (_pod, running, _kind, message) => void killed.push(`${running.containerId}: ${message}`));
  const changes: string[] = [];
  manager.onChange = (pod) => changes.push(pod.metadata?.name ?? '');
  return { manager, events, killed, changes };
}

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' } };
const until = async (what: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) assert.fail('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('a failing liveness probe kills the container once, with the Unhealthy event, and wakes the pod', async () => {
  const { manager, events, killed, changes } = setup();
  const running: RunningContainer = { containerId: 'c1', startedAtMs: 0, fieldPath: 'spec.containers{c}', container: { name: 'c', livenessProbe: { exec: { command: ['sh', '-c', 'echo nope; exit 1'] }, periodSeconds: 1, failureThreshold: 1 } } };
  manager.sync(pod, '127.0.0.1', [running]);
  await until(() => killed.length > 0);
  manager.stop();
  assert.deepEqual(killed, ['c1: Container c failed liveness probe, will be restarted']);
  assert.deepEqual(events, ['Unhealthy: Liveness probe failed: nope\n']);
  assert.deepEqual(changes, ['p']);
});

test('readiness waits for the startup probe; both pass and the container is ready', async () => {
  const { manager } = setup();
  const container = { name: 'c', startupProbe: { exec: { command: ['true'] }, periodSeconds: 1 }, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } };
  assert.equal(manager.ready('u1', 'c1', container), false);
  manager.sync(pod, '127.0.0.1', [{ containerId: 'c1', startedAtMs: 0, fieldPath: 'spec.containers{c}', container }]);
  assert.equal(manager.started('u1', 'c1', container), false, 'not started before the startup probe ran');
  await until(() => manager.ready('u1', 'c1', container));
  assert.equal(manager.started('u1', 'c1', container), true);
  manager.removePod('u1');
  assert.equal(manager.ready('u1', 'c1', container), false, 'forgotten with the pod');
});
