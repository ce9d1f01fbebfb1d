import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { decodeStored, WatchCache, type CacheEvent } from './watch-cache.js';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'a"b' } },
  spec: { containers: [{ name: 'c', image: 'i' }], template: { metadata: { name: 'nested' } } },
  status: { phase: 'Pending' },
});

test('decodeStored: adopting the written object gives the same object and bytes as parsing', () => {
  const written = pod();
  const value = JSON.stringify(written);
  const fast = decodeStored('/k', value, 42, written);
  const slow = decodeStored('/k', value, 42);
  assert.equal(fast.json, slow.json);
  assert.deepEqual(fast.object, slow.object);
  assert.deepEqual(Object.keys(fast.object), Object.keys(slow.object));
  assert.deepEqual(Object.keys(fast.object.metadata!), Object.keys(slow.object.metadata!));
  // The writer's own object is left as it was.
  assert.deepEqual(written, pod());
});

test('decodeStored: a written object JSON would change is not adopted', () => {
  const written = { ...pod(), spec: { nodeName: undefined, priority: -0 } } as KubeObject;
  const value = JSON.stringify(written);
  const decoded = decodeStored('/k', value, 7, written);
  assert.deepEqual(decoded.object, decodeStored('/k', value, 7).object);
  assert.equal('nodeName' in (decoded.object.spec as object), false);
  assert.equal(Object.is((decoded.object.spec as { priority: number }).priority, 0), true);
});

test('watch cache: objects written with their object in this process match a cache that parsed them', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const cache = new WatchCache(store, '/registry/pods/');
  await cache.ready();
  const events: CacheEvent[] = [];
  cache.watch(cache.currentRevision(), (event) => events.push(event));
  const first = pod();
  const created = await store.create('/registry/pods/default/p', JSON.stringify(first), first);
  const second = { ...pod(), status: { phase: 'Running', odd: undefined } } as KubeObject;
  await store.update('/registry/pods/default/p', JSON.stringify(second), created.modRevision, second);

  // A second cache loads the same rows from SQLite, parsing every value.
  const reloaded = new WatchCache(store, '/registry/pods/');
  await reloaded.ready();
  const live = cache.get('/registry/pods/default/p')!;
  const parsed = reloaded.get('/registry/pods/default/p')!;
  assert.equal(live.json, parsed.json);
  assert.deepEqual(live.object, parsed.object);
  assert.deepEqual(
    events.map((event) => [event.type, event.revision]),
    [
      ['ADDED', created.modRevision],
      ['MODIFIED', live.revision],
    ],
  );
  assert.equal(events[0]!.object.json, decodeStored(created.key, created.value, created.modRevision).json);
  cache.stop();
  reloaded.stop();
  await store.close();
});
