// A three-member etcd: one member down keeps serving; two down (no quorum) makes requests fail
// within the timeout with "datastore unavailable"; with quorum back, writes work again and
// every acknowledged write is still there and was seen by a watch, in order, without gaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventRevision, type StoreEvent } from '../types.js';
import { DatastoreUnavailableError } from './etcd-client.js';
import { EtcdCluster } from './etcd-harness.js';
import { EtcdStore } from './etcd-store.js';

/** Short, so the test is quick; the default for the API server is 5 s. */
const requestTimeoutMs = 2_000;
/** Scheduling slack on top of the timeout before we call it a hang. */
const timeoutSlackMs = 1_000;
/** After quorum returns: how long the client may take to find a working member again. */
const recoveryBudgetMs = 15_000;

test('etcd cluster: survives one member down, fails clearly without quorum, loses no acknowledged write', { timeout: 60_000 }, async () => {
  const cluster = await EtcdCluster.start(3);
  const store = new EtcdStore({ endpoints: cluster.endpoints, requestTimeoutMs });
  const acknowledged = new Map<string, { value: string; revision: number }>();
  const seen: StoreEvent[] = [];
  const watchErrors: Error[] = [];
  let counter = 0;
  const write = async (): Promise<void> => {
    const key = `/registry/quorum/${String(counter).padStart(4, '0')}`;
    const value = `v${counter++}`;
    const kv = await store.create(key, value);
    acknowledged.set(key, { value, revision: kv.modRevision });
  };
  try {
    const start = await store.currentRevision();
    const watch = store.watch('/registry/quorum/', start, { onEvents: (events) => seen.push(...events), onError: (error) => watchErrors.push(error) });
    for (let i = 0; i < 5; i++) await write();

    // One follower down: a majority remains, so every request keeps succeeding.
    const leader = await cluster.leaderIndex();
    const follower = (leader + 1) % 3;
    const other = (leader + 2) % 3;
    await cluster.kill(follower);
    for (let i = 0; i < 10; i++) await write();
    assert.ok((await store.count('/registry/quorum/')) >= 15);

    // Quorum lost: a write and a read fail within the timeout, saying the datastore is unavailable.
    await cluster.kill(other);
    for (const attempt of [() => store.create('/registry/quorum/lost', 'never acknowledged'), () => store.get('/registry/quorum/0000')]) {
      const began = Date.now();
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof DatastoreUnavailableError, `expected DatastoreUnavailableError, got ${String(error)}`);
        assert.match(error.message, /datastore unavailable/);
        return true;
      });
      const took = Date.now() - began;
      assert.ok(took <= requestTimeoutMs + timeoutSlackMs, `failed after ${took} ms, bound is ${requestTimeoutMs} ms`);
    }

    // Quorum back: writes work again (once the client finds a member that answers).
    await cluster.restart(follower);
    await cluster.restart(other);
    await cluster.waitReady([0, 1, 2]);
    const deadline = Date.now() + recoveryBudgetMs;
    for (;;) {
      try {
        await write();
        break;
      } catch (error) {
        if (!(error instanceof DatastoreUnavailableError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    for (let i = 0; i < 5; i++) await write();

    // Nothing acknowledged was lost, and the watch saw it all in order without gaps.
    const listed = await store.list('/registry/quorum/');
    const stored = new Map(listed.items.map((kv) => [kv.key, kv]));
    for (const [key, { value, revision }] of acknowledged) {
      assert.equal(stored.get(key)?.value, value, `${key} was acknowledged`);
      assert.equal(stored.get(key)?.modRevision, revision);
    }
    const ackedRevisions = [...acknowledged.values()].map((entry) => entry.revision).sort((x, y) => x - y);
    const waitUntil = Date.now() + 10_000;
    while (seen.length < listed.items.length && watchErrors.length === 0 && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    watch.cancel();
    assert.deepEqual(watchErrors, []);
    const seenRevisions = seen.map(eventRevision);
    assert.ok(seenRevisions.every((revision, i) => i === 0 || revision > seenRevisions[i - 1]!), 'watch events strictly in revision order');
    // The write that timed out without quorum may or may not have committed; it is the only extra allowed.
    assert.deepEqual(seen.filter((event) => event.kv.key !== '/registry/quorum/lost').map(eventRevision), ackedRevisions);
  } finally {
    await store.close();
    await cluster.stop();
  }
});
