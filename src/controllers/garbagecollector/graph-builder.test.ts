import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkQueue } from '../../client/index.js';
import { RecordingEventRecorder } from '../common/events.js';
import { GraphBuilder, referencesDiffs, type MetaObject } from './graph-builder.js';

function setup() {
  const attemptToDelete = new WorkQueue<string>({ name: 'd' });
  const attemptToOrphan = new WorkQueue<string>({ name: 'o' });
  const builder = new GraphBuilder({ attemptToDelete, attemptToOrphan, recorder: new RecordingEventRecorder() });
  const drain = async (queue: WorkQueue<string>) => {
    const items: string[] = [];
    while (queue.len() > 0) {
      const item = (await queue.get())!;
      items.push(item);
      queue.done(item);
    }
    return items.sort();
  };
  return { builder, attemptToDelete, attemptToOrphan, drain };
}

const cm = (name: string, meta: Record<string, unknown> = {}): MetaObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: name, resourceVersion: '1', ...meta } });
const ref = (name: string, block = false) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: name, ...(block ? { blockOwnerDeletion: true } : {}) });

test('an owner not seen yet becomes a virtual node to verify; seeing it makes it real', async () => {
  const { builder, attemptToDelete, drain } = setup();
  builder.enqueue({ type: 'add', object: cm('child', { ownerReferences: [ref('owner')] }) });
  builder.processGraphChanges();
  const owner = builder.graph.get('owner')!;
  assert.equal(owner.virtual, true);
  assert.equal(owner.observed, false);
  assert.deepEqual(await drain(attemptToDelete), ['owner']);
  builder.enqueue({ type: 'add', object: cm('owner') });
  builder.processGraphChanges();
  assert.equal(owner.observed, true);
  assert.deepEqual([...owner.dependents].map((d) => d.identity.name), ['child']);
});

test('deletion with the orphan finalizer queues the owner for orphaning; with foregroundDeletion, it and its dependents for deletion', async () => {
  const { builder, attemptToDelete, attemptToOrphan, drain } = setup();
  for (const object of [cm('a'), cm('b'), cm('a-child', { ownerReferences: [ref('a')] }), cm('b-child', { ownerReferences: [ref('b')] })]) builder.enqueue({ type: 'add', object });
  builder.processGraphChanges();
  assert.deepEqual(await drain(attemptToDelete), []);
  builder.enqueue({ type: 'update', oldObject: cm('a'), object: cm('a', { resourceVersion: '2', deletionTimestamp: 'now', finalizers: ['orphan'] }) });
  builder.enqueue({ type: 'update', oldObject: cm('b'), object: cm('b', { resourceVersion: '2', deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] }) });
  builder.processGraphChanges();
  assert.deepEqual(await drain(attemptToOrphan), ['a']);
  assert.deepEqual(await drain(attemptToDelete), ['b', 'b-child']);
  assert.equal(builder.graph.get('b')!.deletingDependents, true);
});

test('a dependent dropping its blocking reference wakes the foreground owner; its deletion too', async () => {
  const { builder, attemptToDelete, drain } = setup();
  builder.enqueue({ type: 'add', object: cm('owner', { deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] }) });
  builder.enqueue({ type: 'add', object: cm('one', { ownerReferences: [ref('owner', true)] }) });
  builder.enqueue({ type: 'add', object: cm('two', { ownerReferences: [ref('owner', true)] }) });
  builder.processGraphChanges();
  await drain(attemptToDelete);
  assert.deepEqual(builder.graph.get('owner')!.blockingDependents().map((d) => d.identity.name).sort(), ['one', 'two']);
  builder.enqueue({ type: 'update', oldObject: cm('one', { ownerReferences: [ref('owner', true)] }), object: cm('one', { resourceVersion: '2', ownerReferences: [ref('owner')] }) });
  builder.processGraphChanges();
  assert.deepEqual(await drain(attemptToDelete), ['owner']);
  builder.enqueue({ type: 'delete', object: cm('two', { ownerReferences: [ref('owner', true)] }) });
  builder.processGraphChanges();
  assert.deepEqual(await drain(attemptToDelete), ['owner']);
  assert.deepEqual(builder.graph.get('owner')!.blockingDependents(), []);
});

test('a verified-absent owner is removed and its dependents are looked at', async () => {
  const { builder, attemptToDelete, drain } = setup();
  builder.enqueue({ type: 'add', object: cm('child', { ownerReferences: [ref('ghost')] }) });
  builder.processGraphChanges();
  await drain(attemptToDelete);
  builder.enqueue({ type: 'virtualDelete', identity: { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost', namespace: 'ns' } });
  builder.processGraphChanges();
  assert.equal(builder.graph.get('ghost'), undefined);
  assert.deepEqual(await drain(attemptToDelete), ['child']);
  assert.equal(builder.absentOwnerCache.has({ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost', namespace: 'ns' }), true);
});

test('reference diffs by uid: added, removed, and changed bodies', () => {
  const diff = referencesDiffs([ref('a', true), ref('b')], [ref('a'), ref('c')]);
  assert.deepEqual(diff.added.map((r) => r.uid), ['c']);
  assert.deepEqual(diff.removed.map((r) => r.uid), ['b']);
  assert.deepEqual(diff.changed.map((c) => [c.old.blockOwnerDeletion, c.next.blockOwnerDeletion]), [[true, undefined]]);
});
