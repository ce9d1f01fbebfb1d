import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, WorkQueue } from '../../client/index.js';
import { RecordingEventRecorder } from '../common/events.js';
import type { OwnerReference } from '../common/controller-ref.js';
import type { GarbageCollectorApi, ObjectCoordinates } from './api.js';
import { GarbageCollector, RequeueItem } from './collector.js';
import { GraphBuilder, type MetaObject } from './graph-builder.js';

const conflictError = () => new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'conflict', reason: 'Conflict', code: 409 });

/** A tiny API server: objects by uid; deletes honour the propagation policy as the registry does; every change is fed back to the graph like an informer. */
function cluster(objects: MetaObject[]) {
  const byUid = new Map(objects.map((o) => [o.metadata!.uid!, structuredClone(o)]));
  const calls: string[] = [];
  const attemptToDelete = new WorkQueue<string>({ name: 'd' });
  const attemptToOrphan = new WorkQueue<string>({ name: 'o' });
  const recorder = new RecordingEventRecorder();
  const builder = new GraphBuilder({ attemptToDelete, attemptToOrphan, recorder });
  const clusterScoped = new Set(['Namespace', 'ClusterRole']);
  const find = (c: ObjectCoordinates) =>
    [...byUid.values()].find((o) => o.kind === c.kind && o.metadata!.name === c.name && (clusterScoped.has(c.kind) || o.metadata!.namespace === c.namespace));
  let rv = 100;
  const write = (object: MetaObject, old?: MetaObject) => {
    object.metadata!.resourceVersion = String(++rv);
    byUid.set(object.metadata!.uid!, object);
    builder.enqueue({ type: 'update', object: structuredClone(object), oldObject: old });
  };
  const remove = (object: MetaObject) => {
    byUid.delete(object.metadata!.uid!);
    builder.enqueue({ type: 'delete', object });
  };
  const api: GarbageCollectorApi = {
    isNamespaced: (_v, kind) => !clusterScoped.has(kind),
    async get(c) {
      const found = find(c);
      return found && structuredClone(found);
    },
    async delete(c, options) {
      const found = find(c);
      if (!found || found.metadata!.uid !== options.uid) return;
      if (options.resourceVersion && options.resourceVersion !== found.metadata!.resourceVersion) throw conflictError();
      calls.push(`delete ${c.name} ${options.propagationPolicy}`);
      const finalizers = (found.metadata!.finalizers ?? []).filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
      if (options.propagationPolicy === 'Foreground') finalizers.push('foregroundDeletion');
      if (options.propagationPolicy === 'Orphan') finalizers.push('orphan');
      if (finalizers.length === 0) return remove(found);
      const old = structuredClone(found);
      write({ ...found, metadata: { ...found.metadata, finalizers, deletionTimestamp: '2024-01-01T00:00:00Z' } }, old);
    },
    async patch(c, patch) {
      const found = find(c);
      if (!found) return;
      const meta = (patch as { metadata: Record<string, unknown> }).metadata;
      if (meta.resourceVersion && meta.resourceVersion !== found.metadata!.resourceVersion) throw conflictError();
      calls.push(`patch ${c.name} ${JSON.stringify({ ownerReferences: meta.ownerReferences, finalizers: meta.finalizers })}`);
      const old = structuredClone(found);
      const next = structuredClone(found);
      for (const key of ['ownerReferences', 'finalizers'] as const) {
        if (!(key in meta)) continue;
        if (meta[key] === null) delete next.metadata![key];
        else (next.metadata as Record<string, unknown>)[key] = meta[key];
      }
      if (next.metadata!.deletionTimestamp && !next.metadata!.finalizers?.length) return remove(next);
      write(next, old);
    },
  };
  const collector = new GarbageCollector({ builder, api, attemptToDelete, attemptToOrphan });
  for (const object of byUid.values()) builder.enqueue({ type: 'add', object: structuredClone(object) });
  /** Runs graph changes and both queues until nothing is left (a bounded number of rounds). */
  async function settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      builder.processGraphChanges();
      const queue = attemptToDelete.len() > 0 ? attemptToDelete : attemptToOrphan.len() > 0 ? attemptToOrphan : undefined;
      if (!queue) return;
      const uid = (await queue.get())!;
      try {
        await (queue === attemptToDelete ? collector.syncAttemptToDelete(uid) : collector.syncAttemptToOrphan(uid));
      } catch (error) {
        if (!(error instanceof RequeueItem)) throw error;
      } finally {
        queue.done(uid);
      }
    }
    throw new Error('did not settle');
  }
  const userDelete = async (name: string, policy: 'Background' | 'Foreground' | 'Orphan') => {
    const found = [...byUid.values()].find((o) => o.metadata!.name === name)!;
    await api.delete({ apiVersion: found.apiVersion, kind: found.kind, namespace: found.metadata!.namespace ?? '', name }, { uid: found.metadata!.uid!, propagationPolicy: policy });
  };
  return { byUid, calls, builder, settle, userDelete, recorder, names: () => [...byUid.values()].map((o) => o.metadata!.name).sort() };
}

const ref = (owner: MetaObject, block = false): OwnerReference => ({ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata!.name!, uid: owner.metadata!.uid!, ...(block ? { blockOwnerDeletion: true } : {}) });
function configMap(name: string, owners: OwnerReference[] = [], namespace = 'default'): MetaObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '1', ...(owners.length ? { ownerReferences: owners } : {}) } };
}

test('background: dependents of a deleted owner are deleted, transitively', async () => {
  const owner = configMap('owner');
  const child = configMap('child', [ref(owner)]);
  const grandchild = configMap('grandchild', [ref(child)]);
  const c = cluster([owner, child, grandchild, configMap('bystander')]);
  await c.settle();
  assert.deepEqual(c.calls, []);
  await c.userDelete('owner', 'Background');
  await c.settle();
  assert.deepEqual(c.names(), ['bystander']);
  assert.deepEqual(c.calls.slice(1), ['delete child Background', 'delete grandchild Background']);
});

test('a dependent with another owner still present survives and loses only the dangling reference', async () => {
  const a = configMap('a');
  const b = configMap('b');
  const shared = configMap('shared', [ref(a), ref(b)]);
  const c = cluster([a, b, shared]);
  await c.settle();
  await c.userDelete('a', 'Background');
  await c.settle();
  assert.deepEqual(c.names(), ['b', 'shared']);
  assert.deepEqual(c.byUid.get('uid-shared')!.metadata!.ownerReferences, [ref(b)]);
});

test('a dependent whose owner never existed is collected', async () => {
  const ghost = configMap('ghost');
  const c = cluster([configMap('child', [ref(ghost)])]);
  await c.settle();
  assert.deepEqual(c.names(), []);
});

test('foreground: blocking dependents are deleted before the owner loses its foregroundDeletion finalizer', async () => {
  const owner = configMap('owner');
  const blocker = configMap('blocker', [ref(owner, true)]);
  const held = { ...configMap('held', [ref(blocker, true)]), metadata: { ...configMap('held', [ref(blocker, true)]).metadata, finalizers: ['example.com/hold'] } };
  const c = cluster([owner, blocker, held]);
  await c.settle();
  await c.userDelete('owner', 'Foreground');
  await c.settle();
  // held carries a finalizer of its own, so blocker (foreground, it owns held) and owner wait.
  assert.deepEqual(c.names(), ['blocker', 'held', 'owner']);
  assert.ok(c.byUid.get('uid-owner')!.metadata!.finalizers!.includes('foregroundDeletion'));
  assert.ok(c.byUid.get('uid-blocker')!.metadata!.finalizers!.includes('foregroundDeletion'));
  // The other finalizer goes: held is deleted, then blocker, then owner, in that order.
  const heldNow = c.byUid.get('uid-held')!;
  c.byUid.delete('uid-held');
  c.builder.enqueue({ type: 'delete', object: heldNow });
  await c.settle();
  assert.deepEqual(c.names(), []);
  const patches = c.calls.filter((call) => call.startsWith('patch'));
  assert.deepEqual(patches, ['patch blocker {"finalizers":null}', 'patch owner {"finalizers":null}']);
});

test('orphan: dependents lose the owner reference, then the owner its orphan finalizer', async () => {
  const owner = configMap('owner');
  const other = configMap('other');
  const c = cluster([owner, other, configMap('one', [ref(owner)]), configMap('two', [ref(owner), ref(other)])]);
  await c.settle();
  await c.userDelete('owner', 'Orphan');
  await c.settle();
  assert.deepEqual(c.names(), ['one', 'other', 'two']);
  assert.equal(c.byUid.get('uid-one')!.metadata!.ownerReferences, undefined);
  assert.deepEqual(c.byUid.get('uid-two')!.metadata!.ownerReferences, [ref(other)]);
});

test('a namespaced owner referenced from another namespace is absent there: event, and the dependent is collected', async () => {
  const owner = configMap('owner', [], 'team-a');
  const c = cluster([owner]);
  await c.settle();
  c.builder.enqueue({ type: 'add', object: configMap('stray', [ref(owner)], 'team-b') });
  await c.settle();
  assert.deepEqual(c.names(), ['owner']);
  assert.deepEqual(c.recorder.events, ['Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: team-b, name: owner, uid: uid-owner] does not exist in namespace "team-b"']);
});

test('a cluster-scoped owner keeps namespaced dependents; a cluster-scoped dependent of a namespaced owner is left alone', async () => {
  const ns: MetaObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-owner', uid: 'uid-ns-owner', resourceVersion: '1' } };
  const owner = configMap('owner');
  const role: MetaObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'role', uid: 'uid-role', resourceVersion: '1', ownerReferences: [ref(owner)] } };
  const c = cluster([ns, owner, role, configMap('child', [ref(ns)])]);
  await c.settle();
  assert.deepEqual(c.names(), ['child', 'ns-owner', 'owner', 'role']);
  await c.userDelete('ns-owner', 'Background');
  await c.settle();
  assert.deepEqual(c.names(), ['owner', 'role']);
});
