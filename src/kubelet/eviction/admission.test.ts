import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitPod, isCriticalPod } from './admission.js';

const bestEffort: Pod = { metadata: { name: 'be' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const burstable: Pod = { metadata: { name: 'bu' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { memory: '10Mi' } } }] } };

test('without pressure every pod is admitted', () => {
  assert.deepEqual(admitPod(bestEffort, []), { admit: true });
});

test('under memory pressure BestEffort pods are rejected with upstream’s message, others admitted', () => {
  assert.deepEqual(admitPod(bestEffort, ['MemoryPressure']), { admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure]. ' });
  assert.deepEqual(admitPod(burstable, ['MemoryPressure']), { admit: true });
});

test('a BestEffort pod tolerating the memory-pressure taint is admitted under memory pressure', () => {
  const tolerating: Pod = { ...bestEffort, spec: { ...bestEffort.spec!, tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] } };
  assert.deepEqual(admitPod(tolerating, ['MemoryPressure']), { admit: true });
});

test('disk pressure rejects every pod, critical ones aside', () => {
  assert.deepEqual(admitPod(burstable, ['MemoryPressure', 'DiskPressure']), { admit: false, reason: 'Evicted', message: 'The node had condition: [MemoryPressure DiskPressure]. ' });
  const critical: Pod = { ...burstable, spec: { ...burstable.spec!, priority: 2_000_001_000 } };
  assert.deepEqual(admitPod(critical, ['DiskPressure']), { admit: true });
});

test('static, mirror and system-critical pods are critical', () => {
  assert.ok(isCriticalPod({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'abc' } } }));
  assert.ok(isCriticalPod({ metadata: { annotations: { 'kubernetes.io/config.source': 'file' } } }));
  assert.ok(isCriticalPod({ spec: { containers: [], priority: 2_000_000_000 } }));
  assert.ok(!isCriticalPod(burstable));
});
