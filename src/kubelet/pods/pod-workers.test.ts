import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { specChanged } from './pod-workers.js';

test('status-only updates do not wake a pod worker; spec, labels and deletion do', () => {
  const pod: Pod = { metadata: { uid: 'u', labels: { a: '1' } }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } };
  assert.equal(specChanged(pod, { ...pod, status: { phase: 'Running' } }), false);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } }), true);
  assert.equal(specChanged(pod, { ...pod, metadata: { ...pod.metadata, labels: { a: '2' } } }), true);
  assert.equal(specChanged(pod, { ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }), true);
});
