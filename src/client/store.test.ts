import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.js';
import { deepFreeze, namespaceIndex, objectKey, splitKey, Store } from './store.js';

const pod = (namespace: string, name: string, nodeName?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: nodeName ? { nodeName } : {} });
const byNode = (object: KubeObject): string[] => {
  const nodeName = (object.spec as { nodeName?: string } | undefined)?.nodeName;
  return nodeName ? [nodeName] : [];
};

test('objects are keyed ns/name, or name when cluster-scoped', () => {
  assert.equal(objectKey(pod('default', 'web')), 'default/web');
  assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1');
  assert.deepEqual(splitKey('default/web'), { namespace: 'default', name: 'web' });
  assert.deepEqual(splitKey('node-1'), { namespace: '', name: 'node-1' });
});

test('the namespace index is built in', () => {
  const store = new Store();
  store.upsert(pod('a', 'one'));
  store.upsert(pod('a', 'two'));
  store.upsert(pod('b', 'three'));
  assert.deepEqual(store.byIndex(namespaceIndex, 'a').map(objectKey).sort(), ['a/one', 'a/two']);
  assert.equal(store.list().length, 3);
});

test('a custom index follows updates and deletes', () => {
  const store = new Store();
  store.addIndexer('byNode', byNode);
  store.upsert(pod('a', 'one', 'node-1'));
  store.upsert(pod('a', 'two', 'node-1'));
  assert.equal(store.byIndex('byNode', 'node-1').length, 2);
  store.upsert(pod('a', 'two', 'node-2'));
  assert.deepEqual(store.byIndex('byNode', 'node-1').map(objectKey), ['a/one']);
  assert.deepEqual(store.byIndex('byNode', 'node-2').map(objectKey), ['a/two']);
  store.delete('a/one');
  assert.deepEqual(store.byIndex('byNode', 'node-1'), []);
  assert.equal(store.get('a/one'), undefined);
});

test('an indexer added later indexes objects already cached', () => {
  const store = new Store();
  store.upsert(pod('a', 'one', 'node-1'));
  store.addIndexer('byNode', byNode);
  assert.deepEqual(store.byIndex('byNode', 'node-1').map(objectKey), ['a/one']);
  assert.throws(() => store.addIndexer('byNode', byNode), /already exists/);
  assert.throws(() => store.byIndex('missing', 'x'), /does not exist/);
});

test('cached objects are deep-frozen so a worker cannot mutate shared state', () => {
  const store = new Store();
  store.upsert(pod('a', 'one', 'node-1'));
  const cached = store.get('a/one')!;
  assert.throws(() => {
    cached.metadata!.name = 'changed';
  }, TypeError);
  assert.throws(() => {
    (cached.spec as { nodeName: string }).nodeName = 'elsewhere';
  }, TypeError);
  const copy = structuredClone(cached);
  copy.metadata!.name = 'a copy may change';
  assert.equal(store.get('a/one')!.metadata!.name, 'one');
});

test('deepFreeze freezes every nested object and array, and leaves primitives alone', () => {
  const pod = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], nodeName: null } };
  assert.equal(deepFreeze(pod), pod);
  for (const value of [pod, pod.metadata.labels, pod.spec.containers, pod.spec.containers[0], pod.spec.containers[0]!.ports[0]]) assert.ok(Object.isFrozen(value));
  assert.throws(() => ((pod.spec.containers[0] as { name: string }).name = 'x'), TypeError);
  assert.equal(deepFreeze(3), 3);
  assert.equal(deepFreeze(null), null);
});
