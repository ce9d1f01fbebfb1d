import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { runStoreConformance } from '../conformance.js';
import { CompactedError } from '../errors.js';
import { openStore } from '../open.js';
import { eventRevision, type Store, type StoreEvent } from '../types.js';
import { parseEtcdEndpoints, prefixRangeEnd } from './etcd-client.js';
import { EtcdCluster } from './etcd-harness.js';
import { EtcdStore } from './etcd-store.js';

let cluster: EtcdCluster;
const opened: Store[] = [];

before(async () => {
  cluster = await EtcdCluster.start(1);
});

after(async () => {
  for (const store of opened) await store.close();
  await cluster?.stop();
});

/** A store on the shared etcd with every key removed, as the conformance suite wants it empty. */
async function freshStore(): Promise<EtcdStore> {
  const wipe = new Etcd3({ hosts: cluster.endpoints });
  try {
    await wipe.delete().all();
  } finally {
    wipe.close();
  }
  return new EtcdStore({ endpoints: cluster.endpoints });
}

function openTracked(): EtcdStore {
  const store = new EtcdStore({ endpoints: cluster.endpoints });
  opened.push(store);
  return store;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

runStoreConformance({ name: 'etcd', open: freshStore });

test('etcd: endpoints parse from etcd:// URLs', () => {
  assert.deepEqual(parseEtcdEndpoints('etcd://h1:2379,h2:2380'), ['h1:2379', 'h2:2380']);
  assert.deepEqual(parseEtcdEndpoints('etcd://h1, https://h2:1/'), ['h1:2379', 'h2:1']);
  assert.throws(() => parseEtcdEndpoints('etcd://'), /names no etcd endpoint/);
  assert.deepEqual(prefixRangeEnd(Buffer.from('/a/')), Buffer.from('/a0'));
});

test('etcd: openStore opens etcd:// URLs and objects are plain keys under /registry/', async () => {
  const store = await openStore(cluster.datastore, '/nonexistent-data-dir');
  opened.push(store);
  const created = await store.create('/registry/configmaps/default/plain', '{"kind":"ConfigMap"}');
  const raw = new Etcd3({ hosts: cluster.endpoints });
  try {
    assert.equal(await raw.get('/registry/configmaps/default/plain').string(), '{"kind":"ConfigMap"}');
    const prefixed = await raw.getAll().prefix('/registry/').keys();
    assert.ok(prefixed.includes('/registry/configmaps/default/plain'));
  } finally {
    raw.close();
  }
  assert.equal((await store.get('/registry/configmaps/default/plain'))?.modRevision, created.modRevision);
});

test('etcd: two stores on one etcd see each other\'s writes through watch, in order, without gaps', async () => {
  const writerA = openTracked();
  const writerB = openTracked();
  const prefix = `/registry/twowriters-${Date.now()}/`;
  const start = await writerA.currentRevision();
  const seenByA: StoreEvent[] = [];
  const seenByB: StoreEvent[] = [];
  const errors: Error[] = [];
  const watchA = writerA.watch(prefix, start, { onEvents: (events) => seenByA.push(...events), onError: (error) => errors.push(error) });
  const watchB = writerB.watch(prefix, start, { onEvents: (events) => seenByB.push(...events), onError: (error) => errors.push(error) });
  const writes = 40;
  const revisions: number[] = [];
  // Interleave the two writers, each also updating and deleting, so the streams carry every kind.
  await Promise.all(
    [writerA, writerB].map(async (writer, w) => {
      for (let i = 0; i < writes / 2; i++) {
        const kv = await writer.create(`${prefix}${w}-${i}`, `v${i}`);
        revisions.push(kv.modRevision);
        if (i % 5 === 0) revisions.push((await writer.update(kv.key, `u${i}`, kv.modRevision)).modRevision);
        if (i % 7 === 0) revisions.push((await writer.delete(kv.key)).revision);
      }
    }),
  );
  const expected = [...revisions].sort((x, y) => x - y);
  await until(() => seenByA.length >= expected.length && seenByB.length >= expected.length, 'both watchers to see every write');
  watchA.cancel();
  watchB.cancel();
  assert.deepEqual(errors, []);
  assert.deepEqual(seenByA.map(eventRevision), expected, 'store A saw every write in revision order');
  assert.deepEqual(seenByB.map(eventRevision), expected, 'store B saw every write in revision order');
  const deletes = seenByA.filter((event) => event.type === 'delete');
  assert.ok(deletes.length > 0 && deletes.every((event) => event.kv.value !== ''), 'deletes carry the last value');
});

test('etcd: a watcher on a quiet prefix learns the global revision from other writes (onProgress)', async () => {
  const watching = openTracked();
  const writer = openTracked();
  const start = await watching.currentRevision();
  const progress: number[] = [];
  const events: StoreEvent[] = [];
  const handle = watching.watch('/registry/quiet-prefix/', start, {
    onEvents: (batch) => events.push(...batch),
    onError: (error) => assert.fail(error),
    onProgress: (revision) => progress.push(revision),
  });
  const written = await writer.create(`/registry/busy/${Date.now()}`, 'x');
  await until(() => progress.some((revision) => revision >= written.modRevision), 'progress to reach the other store\'s write');
  handle.cancel();
  assert.deepEqual(events, []);
});

test('etcd: a watch joining behind a running watch replays exactly its history, then goes live', async () => {
  const store = openTracked();
  const prefix = `/registry/catchup-${Date.now()}/`;
  const first = await store.create(`${prefix}a`, '1');
  const second = await store.update(first.key, '2', first.modRevision);
  // A running watch from "now" puts the shared stream ahead of `first`.
  const early: StoreEvent[] = [];
  const running = store.watch('/registry/', second.modRevision, { onEvents: (batch) => early.push(...batch), onError: (error) => assert.fail(error) });
  const third = await store.create(`${prefix}b`, '3');
  await until(() => early.length >= 1, 'the running watch to see a write');
  const late: StoreEvent[] = [];
  const progress: number[] = [];
  const behind = store.watch(prefix, first.modRevision - 1, {
    onEvents: (batch) => late.push(...batch),
    onError: (error) => assert.fail(error),
    onProgress: (revision) => progress.push(revision),
  });
  await until(() => late.length >= 3, 'the replay');
  const fourth = await store.delete(third.key);
  await until(() => late.length >= 4, 'the live delete');
  running.cancel();
  behind.cancel();
  assert.deepEqual(late.map(eventRevision), [first.modRevision, second.modRevision, third.modRevision, fourth.revision]);
  assert.deepEqual(late.map((event) => [event.type, event.kv.value]), [['put', '1'], ['put', '2'], ['put', '3'], ['delete', '3']]);
  assert.ok(progress.every((revision, i) => i === 0 || revision > progress[i - 1]!), 'progress only moves forward');
});

test('etcd: a compaction made by another store is learned from CompactedError', async () => {
  const compactor = openTracked();
  const other = openTracked();
  const a = await compactor.create(`/registry/compact-${Date.now()}`, '1');
  await compactor.update(a.key, '2', a.modRevision);
  const now = await compactor.currentRevision();
  await compactor.compact(now);
  assert.equal(await other.compactedRevision(), 0, 'etcd does not tell the other store');
  await assert.rejects(other.list('/registry/', { revision: a.modRevision }), CompactedError);
  assert.ok((await other.compactedRevision()) >= a.modRevision);
  const errors: Error[] = [];
  const fresh = openTracked();
  fresh.watch('/registry/', a.modRevision - 1, { onEvents: () => assert.fail('no events from compacted history'), onError: (error) => errors.push(error) });
  await until(() => errors.length > 0, 'the watch to fail');
  assert.ok(errors[0] instanceof CompactedError);
  assert.equal(await fresh.compactedRevision(), now, 'the watch told the store where etcd compacted');
});

test('etcd: TLS with a client certificate, as --etcd-cafile/--etcd-certfile/--etcd-keyfile give it', async () => {
  const secure = await EtcdCluster.start(1, { tls: true });
  try {
    const files = secure.tlsFiles!;
    const store = await openStore(secure.datastore, '/nonexistent-data-dir', { etcdCaFile: files.caFile, etcdCertFile: files.certFile, etcdKeyFile: files.keyFile });
    try {
      const start = await store.currentRevision();
      const seen: StoreEvent[] = [];
      const handle = store.watch('/registry/secrets/', start, { onEvents: (events) => seen.push(...events), onError: (error) => assert.fail(error) });
      const created = await store.create('/registry/secrets/default/s', '{"kind":"Secret"}');
      await until(() => seen.length === 1, 'the watch over TLS');
      handle.cancel();
      assert.equal(eventRevision(seen[0]!), created.modRevision);
    } finally {
      await store.close();
    }
    // Without a client certificate etcd refuses the connection: a clear, bounded failure.
    const anonymous = new EtcdStore({ endpoints: secure.endpoints, tls: { caFile: files.caFile }, requestTimeoutMs: 1_000 });
    try {
      await assert.rejects(anonymous.get('/registry/secrets/default/s'), /datastore unavailable/);
    } finally {
      await anonymous.close();
    }
  } finally {
    await secure.stop();
  }
});
