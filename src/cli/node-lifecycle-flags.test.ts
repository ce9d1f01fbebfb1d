import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './flags.js';
import { nodeLifecycleFlagValues } from './node-lifecycle-flags.js';

test('node lifecycle flags parse durations, rates and seconds; absent ones stay undefined', () => {
  const values = new Map<string, string | boolean>([
    ['node-monitor-grace-period', '18s'],
    ['node-monitor-period', '500ms'],
    ['node-eviction-rate', '0.5'],
    ['default-unreachable-toleration-seconds', '2'],
  ]);
  assert.deepEqual(nodeLifecycleFlagValues(values), {
    nodeLifecycle: { nodeMonitorPeriodMs: 500, nodeMonitorGracePeriodMs: 18_000, nodeStartupGracePeriodMs: undefined, nodeEvictionRate: 0.5, secondaryNodeEvictionRate: undefined },
    defaultNotReadyTolerationSeconds: undefined,
    defaultUnreachableTolerationSeconds: 2,
  });
});

test('bad values are usage errors naming the flag', () => {
  assert.throws(() => nodeLifecycleFlagValues(new Map([['node-monitor-grace-period', 'soon']])), (error: unknown) => error instanceof UsageError && /--node-monitor-grace-period/.test((error as Error).message));
  assert.throws(() => nodeLifecycleFlagValues(new Map([['default-not-ready-toleration-seconds', '1.5']])), UsageError);
});
