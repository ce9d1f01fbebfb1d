import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../history/types.js';
import { statefulSet } from './harness.test-support.js';
import { identityMatches, newVersionedStatefulSetPod, parentNameAndOrdinal, podInOrdinalRange, storageMatches } from './identity.js';

const pod = (name: string): Pod => ({ metadata: { name, namespace: 'default', labels: { 'statefulset.kubernetes.io/pod-name': name } } });

test('a pod name splits into parent and ordinal; other names have ordinal -1', () => {
  assert.deepEqual(parentNameAndOrdinal(pod('my-web-12')), { parent: 'my-web', ordinal: 12 });
  assert.deepEqual(parentNameAndOrdinal(pod('web')), { parent: '', ordinal: -1 });
  assert.equal(parentNameAndOrdinal(pod('web-99999999999')).ordinal, -1);
});

test('identity needs name, namespace and the pod-name label; storage needs every claim volume', () => {
  const set = statefulSet('web', { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: {} }] });
  assert.ok(identityMatches(set, pod('web-1')));
  assert.ok(!identityMatches(set, { metadata: { name: 'web-1', namespace: 'default' } }));
  assert.ok(!identityMatches(set, pod('other-1')));
  assert.ok(!storageMatches(set, pod('web-1')));
  assert.ok(storageMatches(set, { ...pod('web-1'), spec: { containers: [], volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }] } }));
});

test('ordinals honour spec.ordinals.start', () => {
  const set = statefulSet('web', { replicas: 2, ordinals: { start: 5 } });
  assert.ok(podInOrdinalRange(pod('web-5'), set));
  assert.ok(podInOrdinalRange(pod('web-6'), set));
  assert.ok(!podInOrdinalRange(pod('web-4'), set));
  assert.ok(!podInOrdinalRange(pod('web-7'), set));
});

test('a pod below the partition is made from the current revision, at or above it from the update revision', () => {
  const current = statefulSet('web', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  const update = statefulSet('web', { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } });
  const below = newVersionedStatefulSetPod(current, update, 'web-a', 'web-b', 1);
  const above = newVersionedStatefulSetPod(current, update, 'web-a', 'web-b', 2);
  assert.equal(below.metadata?.labels?.['controller-revision-hash'], 'web-a');
  assert.equal(below.spec?.containers[0]?.image, 'nginx:1');
  assert.equal(above.metadata?.labels?.['controller-revision-hash'], 'web-b');
  assert.equal(above.spec?.containers[0]?.image, 'nginx:2');
});
