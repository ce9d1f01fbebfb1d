import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simOptionsFromFlags } from './flags.js';
import { nodeNames, parseLabels, parseTaints } from './options.js';
import { heartbeatStopped, podBehaviour } from './behaviour.js';

test('--labels takes k=v pairs and refuses invalid keys', () => {
  assert.deepEqual(parseLabels('zone=a, example.com/tier=batch,empty='), { zone: 'a', 'example.com/tier': 'batch', empty: '' });
  assert.throws(() => parseLabels('-bad=x'), /invalid label key/);
});

test('--taints takes key[=value]:Effect and refuses unknown effects', () => {
  assert.deepEqual(parseTaints('dedicated=batch:NoSchedule,gpu:NoExecute'), [
    { key: 'dedicated', value: 'batch', effect: 'NoSchedule' },
    { key: 'gpu', effect: 'NoExecute' },
  ]);
  assert.throws(() => parseTaints('a=b:Sometimes'), /invalid taint effect: Sometimes/);
  assert.throws(() => parseTaints('a=b'), /an effect is required/);
});

test('flags become options with durations, quantities and defaults', () => {
  const options = simOptionsFromFlags(new Map<string, string | boolean>([['count', '5'], ['cpu', '32'], ['node-lease-renew-interval', '40s'], ['delete-on-exit', true]]));
  assert.equal(options.count, 5);
  assert.equal(options.cpu, '32');
  assert.equal(options.memory, '16Gi');
  assert.equal(options.leaseRenewIntervalMs, 40_000);
  assert.equal(options.leaseDurationSeconds, 40);
  assert.equal(options.deleteOnExit, true);
  assert.deepEqual(nodeNames(options), ['sim-node-0', 'sim-node-1', 'sim-node-2', 'sim-node-3', 'sim-node-4']);
  assert.throws(() => simOptionsFromFlags(new Map([['memory', '16 GB']])), /invalid argument "16 GB" for "--memory" flag/);
  assert.throws(() => simOptionsFromFlags(new Map([['count', 'many']])), /--count/);
});

test('behaviour annotations: malformed values are ignored', () => {
  const pod = (annotations: Record<string, string>) => ({ metadata: { annotations } });
  assert.deepEqual(podBehaviour(pod({ 'sim.k8ts.io/run-seconds': '3', 'sim.k8ts.io/exit-code': '2' })), { runMs: 3000, exitCode: 2, notReady: false });
  assert.deepEqual(podBehaviour(pod({ 'sim.k8ts.io/run-seconds': 'soon', 'sim.k8ts.io/exit-code': '999', 'sim.k8ts.io/not-ready': 'true' })), { exitCode: 0, notReady: true });
  assert.equal(heartbeatStopped({ 'sim.k8ts.io/stop-heartbeat': 'true' }), true);
  assert.equal(heartbeatStopped(undefined), false);
});
