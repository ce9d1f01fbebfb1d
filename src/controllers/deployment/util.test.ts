import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment, ReplicaSet } from './types.js';
import { equalIgnoreHash, findActiveOrLatest, getProportion, maxSurge, maxUnavailable, resolveFenceposts } from './util.js';

function rolling(replicas: number, maxSurgeValue: number | string, maxUnavailableValue: number | string): Deployment {
  return { spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: maxSurgeValue, maxUnavailable: maxUnavailableValue } } } };
}

test('maxSurge rounds percentages up, maxUnavailable down, and both zero makes maxUnavailable 1', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts('10%', '10%', 3), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(0, '10%', 3), { surge: 0, unavailable: 1 });
  assert.equal(maxSurge(rolling(10, '25%', '25%')), 3);
  assert.equal(maxUnavailable(rolling(2, 0, 5)), 2);
  assert.equal(maxSurge({ spec: { replicas: 3, strategy: { type: 'Recreate' } } }), 0);
  assert.equal(maxUnavailable(rolling(0, 1, 1)), 0);
});

test('templates differing only in the hash label or a null field are equal', () => {
  const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const b = { metadata: { creationTimestamp: null, labels: { app: 'x' } }, spec: { containers: [{ image: 'i', name: 'c' }] } };
  assert.ok(equalIgnoreHash(a, b));
  assert.ok(!equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'j' }] } }));
});

function rs(name: string, replicas: number, created: string, maxReplicas?: number): ReplicaSet {
  return { metadata: { name, uid: name, creationTimestamp: created, ...(maxReplicas ? { annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) } } : {}) }, spec: { replicas } };
}

test('the one active ReplicaSet, or the newest when none is active, takes a resize', () => {
  const older = rs('a', 0, '2024-01-01T00:00:00Z');
  const newer = rs('b', 0, '2024-01-02T00:00:00Z');
  assert.equal(findActiveOrLatest(undefined, [older, newer])?.metadata?.name, 'b');
  assert.equal(findActiveOrLatest(undefined, [rs('a', 2, '2024-01-01T00:00:00Z'), newer])?.metadata?.name, 'a');
  assert.equal(findActiveOrLatest(rs('n', 1, '2024-01-03T00:00:00Z'), [rs('a', 2, '2024-01-01T00:00:00Z')]), undefined);
});

test('a proportion follows the max-replicas annotation and never exceeds what is left', () => {
  const d = rolling(15, 3, 2);
  assert.equal(getProportion(rs('a', 8, '', 13), d, 5, 0), 3);
  assert.equal(getProportion(rs('b', 5, '', 13), d, 5, 3), 2);
  // Scaling down to zero takes each ReplicaSet's whole size.
  assert.equal(getProportion(rs('a', 8, '', 13), rolling(0, 3, 2), -13, 0), -8);
  assert.equal(getProportion(rs('a', 0, '', 13), d, 5, 0), 0);
});
