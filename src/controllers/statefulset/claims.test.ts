import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolumeClaim, Pod } from '../history/types.js';
import { isClaimOwnerUpToDate, updateClaimOwnerRefs } from './claims.js';
import { statefulSet } from './harness.test-support.js';

const pod = (name: string): Pod => ({ metadata: { name, namespace: 'default', uid: `pod-${name}` } });
const claim = (refs: object[] = []): PersistentVolumeClaim => ({ metadata: { name: 'www-web-0', namespace: 'default', ownerReferences: refs as never } });
const owners = (c: PersistentVolumeClaim) => (c.metadata?.ownerReferences ?? []).map((ref) => `${ref.kind}/${ref.name}`);

for (const [whenDeleted, whenScaled, inRange, scaledAway] of [
  ['Retain', 'Retain', [], []],
  ['Delete', 'Retain', ['StatefulSet/web'], ['StatefulSet/web']],
  ['Retain', 'Delete', [], ['Pod/web-5']],
  ['Delete', 'Delete', ['StatefulSet/web'], ['Pod/web-5']],
] as const) {
  test(`whenDeleted=${whenDeleted} whenScaled=${whenScaled}: claim owners in range ${JSON.stringify(inRange)}, scaled away ${JSON.stringify(scaledAway)}`, () => {
    const set = statefulSet('web', { replicas: 3, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
    for (const [target, expected] of [[pod('web-0'), inRange], [pod('web-5'), scaledAway]] as const) {
      const c = claim();
      updateClaimOwnerRefs(c, set, target);
      assert.deepEqual(owners(c), expected);
      assert.ok(isClaimOwnerUpToDate(c, set, target));
    }
  });
}

test('a claim owned by a previous set of the same name is left alone', () => {
  const set = statefulSet('web', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
  const stale = claim([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'an-older-uid', controller: true }]);
  assert.ok(isClaimOwnerUpToDate(stale, set, pod('web-0')));
});

test('a claim controlled by something else is not taken over', () => {
  const set = statefulSet('web', { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
  const foreign = claim([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'x', controller: true }]);
  assert.ok(isClaimOwnerUpToDate(foreign, set, pod('web-0')));
});
