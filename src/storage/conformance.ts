// One behaviour suite for every Store implementation (SQLite now, etcd later), in the
// containerd manner: an implementation is done when this passes against it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompactedError, KeyExistsError, KeyNotFoundError, RevisionConflictError } from './errors.js';
import type { Store, StoreEvent } from './types.js';

export interface ConformanceTarget {
  name: string;
  /** A fresh, empty store. */
  open(): Promise<Store>;
}

function collect(store: Store, prefix: string, after: number): { events: StoreEvent[]; errors: Error[]; cancel(): void; waitFor(n: number): Promise<void> } {
  const events: StoreEvent[] = [];
  const errors: Error[] = [];
  const handle = store.watch(prefix, after, { onEvents: (batch) => events.push(...batch), onError: (error) => errors.push(error), onProgress: () => undefined });
  return {
    events,
    errors,
    cancel: () => handle.cancel(),
    async waitFor(n: number) {
      const deadline = Date.now() + 5_000;
      while (events.length < n && errors.length === 0) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${events.length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

export function runStoreConformance(target: ConformanceTarget): void {
  const withStore = (name: string, body: (store: Store) => Promise<void>): void => {
    test(`${target.name}: ${name}`, async () => {
      const store = await target.open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  withStore('every write gets a new, higher revision', async (store) => {
    const a = await store.create('/registry/pods/default/a', '{"n":1}');
    const b = await store.create('/registry/pods/default/b', '{"n":2}');
    const a2 = await store.update('/registry/pods/default/a', '{"n":3}', a.modRevision);
    assert.ok(b.modRevision > a.modRevision);
    assert.ok(a2.modRevision > b.modRevision);
    assert.equal(a2.createRevision, a.createRevision);
    assert.equal(await store.currentRevision(), a2.modRevision);
  });

  withStore('create of a live key fails with KeyExistsError, and works again after delete', async (store) => {
    await store.create('/k/a', '1');
    await assert.rejects(store.create('/k/a', '2'), KeyExistsError);
    await store.delete('/k/a');
    const again = await store.create('/k/a', '3');
    assert.equal(again.value, '3');
    assert.equal(again.createRevision, again.modRevision);
  });

  withStore('failed writes publish nothing and leave the store working for open watchers', async (store) => {
    const first = await store.create('/f/a', '1');
    const watch = collect(store, '/', first.modRevision);
    await assert.rejects(store.create('/f/a', 'again'), KeyExistsError);
    await assert.rejects(store.update('/f/a', 'x', first.modRevision + 50), RevisionConflictError);
    await assert.rejects(store.delete('/f/missing'), KeyNotFoundError);
    // Two racing creates of one key: exactly one wins, whichever it is.
    const raced = await Promise.allSettled([store.create('/f/b', '2'), store.create('/f/b', '3')]);
    const winners = raced.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.value] : []));
    assert.equal(winners.length, 1);
    await watch.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    watch.cancel();
    assert.deepEqual(watch.events.map((event) => [event.type, event.kv.key, event.kv.value]), [['put', '/f/b', winners[0]]]);
    assert.deepEqual(watch.errors, []);
  });

  withStore('update with a stale revision fails with RevisionConflictError carrying the current value', async (store) => {
    const first = await store.create('/k/a', '1');
    await store.update('/k/a', '2', first.modRevision);
    await assert.rejects(store.update('/k/a', '3', first.modRevision), (error: unknown) => {
      assert.ok(error instanceof RevisionConflictError);
      assert.equal(error.current.value, '2');
      return true;
    });
    await assert.rejects(store.update('/k/missing', '1', 1), KeyNotFoundError);
  });

  withStore('delete checks the expected revision and returns the last value', async (store) => {
    const first = await store.create('/k/a', 'v1');
    await assert.rejects(store.delete('/k/a', first.modRevision + 100), RevisionConflictError);
    const deleted = await store.delete('/k/a', first.modRevision);
    assert.equal(deleted.kv.value, 'v1');
    assert.ok(deleted.revision > first.modRevision);
    assert.equal(await store.get('/k/a'), undefined);
    await assert.rejects(store.delete('/k/a'), KeyNotFoundError);
  });

  withStore('list returns live keys under a prefix in key order, pages with limit and startKey', async (store) => {
    for (const name of ['c', 'a', 'b', 'd']) await store.create(`/registry/pods/ns/${name}`, name);
    await store.create('/registry/pods2/ns/x', 'other prefix');
    await store.delete('/registry/pods/ns/d');
    const all = await store.list('/registry/pods/');
    assert.deepEqual(all.items.map((kv) => kv.value), ['a', 'b', 'c']);
    assert.equal(all.more, false);
    const page1 = await store.list('/registry/pods/', { limit: 2 });
    assert.deepEqual(page1.items.map((kv) => kv.value), ['a', 'b']);
    assert.equal(page1.more, true);
    const page2 = await store.list('/registry/pods/', { limit: 2, startKey: page1.items[1]!.key + '\0', revision: page1.revision });
    assert.deepEqual(page2.items.map((kv) => kv.value), ['c']);
    assert.equal(page2.more, false);
    assert.equal(await store.count('/registry/pods/'), 3);
  });

  withStore('list at an older revision sees the state as it was then', async (store) => {
    const a = await store.create('/k/a', 'old');
    const before = await store.currentRevision();
    await store.update('/k/a', 'new', a.modRevision);
    await store.create('/k/b', 'later');
    const then = await store.list('/k/', { revision: before });
    assert.deepEqual(then.items.map((kv) => kv.value), ['old']);
  });

  withStore('watch replays history after a revision, then delivers live events in order', async (store) => {
    const a = await store.create('/w/a', '1');
    const start = a.modRevision;
    await store.update('/w/a', '2', a.modRevision);
    await store.create('/x/ignored', 'not under the prefix');
    const watch = collect(store, '/w/', start);
    await watch.waitFor(1);
    await store.create('/w/b', '3');
    await store.delete('/w/a');
    await watch.waitFor(3);
    watch.cancel();
    assert.deepEqual(
      watch.events.map((event) => [event.type, event.kv.key, event.kv.value]),
      [
        ['put', '/w/a', '2'],
        ['put', '/w/b', '3'],
        ['delete', '/w/a', '2'],
      ],
    );
    const revisions = watch.events.map((event) => (event.type === 'put' ? event.kv.modRevision : event.revision));
    assert.deepEqual([...revisions].sort((x, y) => x - y), revisions);
  });

  withStore('a watcher whose prefix is quiet learns newer revisions through onProgress', async (store) => {
    const start = await store.currentRevision();
    const progress: number[] = [];
    const events: StoreEvent[] = [];
    const handle = store.watch('/quiet/', start, {
      onEvents: (batch) => events.push(...batch),
      onError: (error) => assert.fail(error),
      onProgress: (revision) => progress.push(revision),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const elsewhere = await store.create('/busy/a', 'x');
    const deadline = Date.now() + 5_000;
    while (!progress.some((revision) => revision >= elsewhere.modRevision)) {
      if (Date.now() > deadline) assert.fail(`no progress to ${elsewhere.modRevision}; got ${JSON.stringify(progress)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    handle.cancel();
    assert.deepEqual(events, []);
    assert.deepEqual([...progress].sort((x, y) => x - y), progress, 'progress never goes back');
  });

  withStore('a cancelled watch receives nothing more', async (store) => {
    const start = await store.currentRevision();
    const watch = collect(store, '/cancel/', start);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.create('/cancel/a', '1');
    await watch.waitFor(1);
    watch.cancel();
    await store.create('/cancel/b', '2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(watch.events.length, 1);
    assert.deepEqual(watch.errors, []);
  });

  withStore('compaction keeps live values, removes history, and older reads and watches fail', async (store) => {
    const a = await store.create('/c/a', '1');
    const a2 = await store.update('/c/a', '2', a.modRevision);
    await store.create('/c/b', 'x');
    await store.delete('/c/b');
    const now = await store.currentRevision();
    await store.compact(now);
    assert.equal(await store.compactedRevision(), now);
    assert.equal((await store.get('/c/a'))?.value, '2');
    assert.equal((await store.get('/c/a'))?.modRevision, a2.modRevision);
    await assert.rejects(store.list('/c/', { revision: a.modRevision }), CompactedError);
    const watch = collect(store, '/c/', a.modRevision);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(watch.errors[0] instanceof CompactedError);
    const later = await store.create('/c/c', 'after');
    assert.ok(later.modRevision > now, 'revisions keep growing after compaction');
  });
}
