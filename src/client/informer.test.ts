import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.js';
import type { Status } from './errors.js';
import { DeletedFinalStateUnknown, SharedInformer, type ListerWatcher } from './informer.js';
import type { ListOptions, ObjectList, WatchOptions } from './rest.js';
import type { EventStream, WatchEvent } from './watch.js';

/** A fake server: a list of objects, and watches fed by hand. */
class FakeResource implements ListerWatcher<KubeObject> {
  objects = new Map<string, KubeObject>();
  revision = 10;
  lists: ListOptions[] = [];
  watches: WatchOptions[] = [];
  private feeds: { push(event: WatchEvent): void; end(): void }[] = [];

  put(name: string, data: string): KubeObject {
    const object = { metadata: { namespace: 'ns', name, resourceVersion: String(++this.revision) }, data: { value: data } };
    this.objects.set(name, object);
    return object;
  }

  async list(_ns: string | undefined, options: ListOptions): Promise<ObjectList> {
    this.lists.push(options);
    const items = [...this.objects.values()].sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
    const start = options.continue ? Number(options.continue) : 0;
    const end = options.limit ? start + options.limit : items.length;
    return { metadata: { resourceVersion: String(this.revision), continue: end < items.length ? String(end) : undefined }, items: items.slice(start, end) };
  }

  async watch(_ns: string | undefined, options: WatchOptions): Promise<EventStream> {
    this.watches.push(options);
    const events: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    this.feeds.push({
      push: (event) => {
        events.push(event);
        wake?.();
      },
      end: () => {
        ended = true;
        wake?.();
      },
    });
    return {
      stop: () => {
        ended = true;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const event = events.shift();
          if (event) yield event;
          else if (ended) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }

  send(event: WatchEvent): void {
    this.feeds.at(-1)!.push(event);
  }

  endWatch(): void {
    this.feeds.at(-1)!.end();
  }
}

const eventually = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
};

const gone: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 11 (15)', reason: 'Expired', code: 410 };

test('the informer lists in pages of 500, then watches from the list resourceVersion with bookmarks', async () => {
  const fake = new FakeResource();
  for (let i = 0; i < 1200; i++) fake.put(`cm-${String(i).padStart(4, '0')}`, 'x');
  const informer = new SharedInformer(fake);
  const added: string[] = [];
  informer.addEventHandler({ onAdd: (object, initial) => initial && added.push(object.metadata!.name!) });
  informer.run();
  assert.equal(await informer.waitForSync(1000), true);
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(fake.lists.map((options) => options.limit), [500, 500, 500]);
  assert.equal(added.length, 1200);
  await eventually(() => fake.watches.length === 1, 'the watch');
  assert.equal(fake.watches[0]!.resourceVersion, String(fake.revision));
  assert.equal(fake.watches[0]!.allowWatchBookmarks, true);
  informer.stop();
});

test('watch events update the cache and reach onAdd, onUpdate and onDelete', async () => {
  const fake = new FakeResource();
  fake.put('a', '1');
  const informer = new SharedInformer(fake);
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (object) => seen.push(`add ${object.metadata!.name}`),
    onUpdate: (old, now) => seen.push(`update ${(old.data as { value: string }).value}->${(now.data as { value: string }).value}`),
    onDelete: (object) => seen.push(`delete ${object instanceof DeletedFinalStateUnknown ? 'unknown' : object.metadata!.name}`),
  });
  informer.run();
  await informer.waitForSync();
  await eventually(() => fake.watches.length === 1, 'the watch');
  fake.send({ type: 'ADDED', object: fake.put('b', '1') });
  fake.send({ type: 'MODIFIED', object: fake.put('a', '2') });
  const b = fake.objects.get('b')!;
  fake.objects.delete('b');
  fake.send({ type: 'DELETED', object: { ...b, metadata: { ...b.metadata, resourceVersion: String(++fake.revision) } } });
  fake.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '99' } } });
  await eventually(() => informer.lastSyncResourceVersion === '99', 'the bookmark');
  assert.deepEqual(seen, ['add a', 'add b', 'update 1->2', 'delete b']);
  assert.equal(informer.cache.get('ns/b'), undefined);
  assert.equal((informer.cache.get('ns/a')!.data as { value: string }).value, '2');
  informer.stop();
});

test('a watch that ends resumes from the last resourceVersion without relisting', async () => {
  const fake = new FakeResource();
  const informer = new SharedInformer(fake);
  informer.run();
  await informer.waitForSync();
  await eventually(() => fake.watches.length === 1, 'the watch');
  fake.send({ type: 'ADDED', object: fake.put('a', '1') });
  await eventually(() => informer.cache.get('ns/a') !== undefined, 'the add');
  fake.endWatch();
  await eventually(() => fake.watches.length === 2, 'a second watch');
  assert.equal(fake.watches[1]!.resourceVersion, fake.objects.get('a')!.metadata!.resourceVersion);
  assert.equal(fake.lists.length, 1);
  assert.equal(informer.listCount, 1);
  informer.stop();
});

test('410 Gone relists and hands handlers the difference: adds, updates and DeletedFinalStateUnknown', async () => {
  const fake = new FakeResource();
  fake.put('kept', '1');
  fake.put('changed', '1');
  fake.put('removed', '1');
  const informer = new SharedInformer(fake);
  const seen: string[] = [];
  informer.run();
  await informer.waitForSync();
  informer.addEventHandler({
    onAdd: (object, initial) => !initial && seen.push(`add ${object.metadata!.name}`),
    onUpdate: (old, now) => old.metadata!.resourceVersion !== now.metadata!.resourceVersion && seen.push(`update ${now.metadata!.name}`),
    onDelete: (object) => seen.push(object instanceof DeletedFinalStateUnknown ? `unknown ${object.key}` : `delete ${object.metadata!.name}`),
  });
  await eventually(() => fake.watches.length === 1, 'the watch');
  // While we were not looking: one object changed, one was deleted, one was created.
  fake.put('changed', '2');
  fake.objects.delete('removed');
  fake.put('created', '1');
  fake.send({ type: 'ERROR', object: gone });
  await eventually(() => informer.listCount === 2, 'the relist');
  assert.deepEqual(seen.sort(), ['add created', 'unknown ns/removed', 'update changed']);
  assert.deepEqual(informer.cache.listKeys().sort(), ['ns/changed', 'ns/created', 'ns/kept']);
  await eventually(() => fake.watches.length === 2, 'a watch after the relist');
  assert.equal(fake.watches[1]!.resourceVersion, String(fake.revision));
  informer.stop();
});

test('resync re-delivers every cached object as an update', async () => {
  const fake = new FakeResource();
  fake.put('a', '1');
  const informer = new SharedInformer(fake, { resyncPeriodMs: 20 });
  let resyncs = 0;
  informer.addEventHandler({ onUpdate: (old, now) => old === now && resyncs++ });
  informer.run();
  await informer.waitForSync();
  await eventually(() => resyncs >= 2, 'two resyncs');
  informer.stop();
});

test('waitForSync resolves false when the informer stops first', async () => {
  const never: ListerWatcher<KubeObject> = { list: () => new Promise(() => undefined), watch: () => new Promise(() => undefined) };
  const informer = new SharedInformer(never);
  informer.run();
  const waiting = informer.waitForSync();
  informer.stop();
  assert.equal(await waiting, false);
});

test('dropManagedFields: listed and watched objects are cached and handed out without metadata.managedFields', async () => {
  const fake = new FakeResource();
  const withFields = (object: KubeObject): KubeObject => ({ ...object, metadata: { ...object.metadata, managedFields: [{ manager: 'kubectl', operation: 'Update' }] } });
  fake.objects.set('a', withFields(fake.put('a', '1')));
  const informer = new SharedInformer(fake, { dropManagedFields: true });
  const handed: KubeObject[] = [];
  informer.addEventHandler({ onAdd: (object) => handed.push(object), onUpdate: (_old, now) => handed.push(now), onDelete: (object) => handed.push(object as KubeObject) });
  informer.run();
  await informer.waitForSync();
  await eventually(() => fake.watches.length === 1, 'the watch');
  assert.equal(fake.watches[0]!.dropManagedFields, true, 'the watch is asked to drop them before parsing');
  fake.send({ type: 'ADDED', object: withFields(fake.put('b', '1')) });
  fake.send({ type: 'MODIFIED', object: withFields(fake.put('a', '2')) });
  fake.send({ type: 'DELETED', object: withFields(fake.objects.get('b')!) });
  await eventually(() => handed.length === 4, 'four events');
  for (const object of [...handed, informer.cache.get('ns/a')!]) {
    assert.equal('managedFields' in object.metadata!, false, `${object.metadata!.name} has no managedFields`);
    assert.ok(object.metadata!.resourceVersion, 'the rest of metadata stays');
  }
  informer.stop();
});
