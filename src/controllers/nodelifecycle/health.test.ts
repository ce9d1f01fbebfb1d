import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../common/clock.js';
import { assessNodeHealth } from './health.js';

const created = Date.parse('2024-01-01T00:00:00Z');
const timing = (nowMs: number) => ({ nowMs, nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000 });
const silent: Node = { metadata: { name: 'n', creationTimestamp: rfc3339(created) }, status: {} };

test('a node that never posted status gets the startup grace period, then every condition as never updated', () => {
  const first = assessNodeHealth(silent, undefined, undefined, timing(created + 60_000));
  assert.equal(first.statusUpdate, undefined);
  assert.equal(first.currentReady, undefined);
  const later = assessNodeHealth(silent, undefined, first.health, timing(created + 60_001));
  const conditions = later.statusUpdate?.status?.conditions ?? [];
  assert.deepEqual(conditions.map((c) => [c.type, c.status, c.reason]), [
    ['Ready', 'Unknown', 'NodeStatusNeverUpdated'],
    ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
    ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
  ]);
  assert.equal(conditions[0]!.message, 'Kubelet never posted node status.');
});

test('a renewed Lease counts as a heartbeat even without status updates', () => {
  const ready: Node = { ...silent, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: rfc3339(created), lastTransitionTime: rfc3339(created) }] } };
  const lease = (renewMs: number) => ({ metadata: { name: 'n' }, spec: { renewTime: new Date(renewMs).toISOString() } });
  let health = assessNodeHealth(ready, lease(created), undefined, timing(created)).health;
  for (let t = 40_000; t <= 200_000; t += 40_000) {
    const result = assessNodeHealth(ready, lease(created + t), health, timing(created + t));
    assert.equal(result.statusUpdate, undefined);
    health = result.health;
  }
  assert.ok(assessNodeHealth(ready, lease(created + 200_000), health, timing(created + 250_001)).statusUpdate);
});
