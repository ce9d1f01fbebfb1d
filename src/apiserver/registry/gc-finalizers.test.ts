import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultGarbageCollectionPolicy, deletionFinalizers } from './gc-finalizers.js';

test('Foreground and Orphan add their finalizer; Background adds none', () => {
  assert.deepEqual(deletionFinalizers([], 'Foreground'), ['foregroundDeletion']);
  assert.deepEqual(deletionFinalizers(['example.com/keep'], 'Orphan'), ['example.com/keep', 'orphan']);
  assert.deepEqual(deletionFinalizers([], 'Background'), []);
  assert.deepEqual(deletionFinalizers([], undefined), []);
});

test('an explicit policy replaces the other garbage-collection finalizer', () => {
  assert.deepEqual(deletionFinalizers(['orphan'], 'Foreground'), ['foregroundDeletion']);
  assert.deepEqual(deletionFinalizers(['foregroundDeletion', 'x'], 'Orphan'), ['x', 'orphan']);
  assert.deepEqual(deletionFinalizers(['orphan'], 'Background'), []);
});

test('without a policy a finalizer already set wins over the kind default', () => {
  assert.deepEqual(deletionFinalizers(['foregroundDeletion'], undefined, 'OrphanDependents'), ['foregroundDeletion']);
  assert.deepEqual(deletionFinalizers([], undefined, 'OrphanDependents'), ['orphan']);
});

test('ReplicationControllers (v1) and Jobs (batch/v1) orphan by default; other kinds do not', () => {
  assert.equal(defaultGarbageCollectionPolicy('v1', 'ReplicationController'), 'OrphanDependents');
  assert.equal(defaultGarbageCollectionPolicy('batch/v1', 'Job'), 'OrphanDependents');
  assert.equal(defaultGarbageCollectionPolicy('apps/v1', 'ReplicaSet'), 'DeleteDependents');
  assert.equal(defaultGarbageCollectionPolicy('v1', 'ConfigMap'), 'DeleteDependents');
});
