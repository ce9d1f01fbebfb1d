import assert from 'node:assert/strict';
import { test } from 'node:test';
import { route } from './router.js';

test('kubelet paths route as upstream, with the optional pod UID on exec, attach and portForward', () => {
  assert.deepEqual(route('/healthz'), { kind: 'healthz' });
  assert.deepEqual(route('/containerLogs/ns/p/c'), { kind: 'containerLogs', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(route('/exec/ns/p/c'), { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(route('/attach/ns/p/uid-1/c'), { kind: 'attach', namespace: 'ns', pod: 'p', container: 'c' });
  assert.deepEqual(route('/portForward/ns/p'), { kind: 'portForward', namespace: 'ns', pod: 'p' });
  assert.deepEqual(route('/stats/summary'), { kind: 'statsSummary' });
  assert.deepEqual(route('/metrics/resource'), { kind: 'resourceMetrics' });
  assert.deepEqual(route('/containerLogs/ns/p'), { kind: 'notFound' });
  assert.deepEqual(route('/exec/ns'), { kind: 'notFound' });
});
