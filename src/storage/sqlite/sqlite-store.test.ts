import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import type { StoreEvent } from '../types.js';
import { SqliteStore } from './sqlite-store.js';

runStoreConformance({ name: 'sqlite', open: async () => new SqliteStore({ path: ':memory:' }) });

test('sqlite: a reopened database keeps every object, revision and the compaction mark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const first = new SqliteStore({ path });
    const a = await first.create('/k/a', 'one');
    await first.update('/k/a', 'two', a.modRevision);
    await first.compact(a.modRevision);
    const revision = await first.currentRevision();
    await first.close();
    const second = new SqliteStore({ path });
    assert.equal(await second.currentRevision(), revision);
    assert.equal(await second.compactedRevision(), a.modRevision);
    assert.equal((await second.get('/k/a'))?.value, 'two');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a put event carries the object the writer serialised, and only live events do', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const events: StoreEvent[] = [];
  store.watch('/k/', 0, { onEvents: (batch) => events.push(...batch), onError: () => {} });
  await new Promise((resolve) => setImmediate(resolve));
  const object = { a: 1 };
  const created = await store.create('/k/a', JSON.stringify(object), object);
  await store.update('/k/a', '{"a":2}', created.modRevision);
  assert.equal(events.length, 2);
  assert.equal(events[0]!.type === 'put' && events[0]!.object, object);
  assert.equal('object' in events[1]!, false);
  // A watch replayed from the table has only the stored text.
  const replayed: StoreEvent[] = [];
  store.watch('/k/', 0, { onEvents: (batch) => replayed.push(...batch), onError: () => {} });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(replayed.map((event) => 'object' in event), [false, false]);
  await store.close();
});

test('sqlite: rows written after a conflict, a delete and a compaction link to the rows actually there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const store = new SqliteStore({ path });
    const a = await store.create('/k/a', 'one');
    const a2 = await store.update('/k/a', 'two', a.modRevision);
    await assert.rejects(store.update('/k/a', 'x', a.modRevision), (error: Error & { current?: { value: string } }) => error.current?.value === 'two');
    const deleted = await store.delete('/k/a', a2.modRevision);
    await store.compact(deleted.revision);
    const again = await store.create('/k/a', 'three');
    const a4 = await store.update('/k/a', 'four', again.modRevision);
    await store.close();
    const rows = new Database(path, { readonly: true }).prepare('SELECT id, created, deleted, create_revision, prev_revision, value FROM kine ORDER BY id').all();
    assert.deepEqual(rows, [
      { id: again.modRevision, created: 1, deleted: 0, create_revision: again.modRevision, prev_revision: 0, value: 'three' },
      { id: a4.modRevision, created: 0, deleted: 0, create_revision: again.modRevision, prev_revision: again.modRevision, value: 'four' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a database whose newest row was compacted away reopens at its revision, and goes on above it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const first = new SqliteStore({ path });
    const a = await first.create('/k/a', 'one');
    const deleted = await first.delete('/k/a', a.modRevision);
    await first.compact(deleted.revision);
    await first.close();
    const second = new SqliteStore({ path });
    assert.equal(await second.currentRevision(), deleted.revision, 'the tombstone is gone, its revision is not');
    const again = await second.create('/k/a', 'two');
    assert.equal(again.modRevision, deleted.revision + 1);
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a database of the earlier layout (AUTOINCREMENT, unique index) opens with its revision and takes new writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(`
      CREATE TABLE kine (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL, create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL);
      CREATE UNIQUE INDEX kine_name_prev_revision ON kine (name, prev_revision);
      CREATE INDEX kine_name_id ON kine (name, id);
      CREATE TABLE kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO kine (name, created, deleted, create_revision, prev_revision, value) VALUES ('/k/a', 1, 0, 1, 0, 'one'), ('/k/b', 1, 0, 2, 0, 'gone');
      DELETE FROM kine WHERE id = 2;
    `);
    old.close();
    const store = new SqliteStore({ path });
    assert.equal(await store.currentRevision(), 2, 'sqlite_sequence remembers the removed row 2');
    const a = await store.update('/k/a', 'two', 1);
    assert.equal(a.modRevision, 3);
    assert.equal((await store.get('/k/a'))?.value, 'two');
    await store.close();
    const indexes = new Database(path, { readonly: true }).prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kine'").all();
    assert.deepEqual(indexes, [{ name: 'kine_name_id' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a second store on the same file is refused while the first has it open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  try {
    const path = join(dir, 'state.db');
    const first = new SqliteStore({ path });
    await first.create('/k/a', 'one');
    const other = new Database(path, { timeout: 50 });
    assert.throws(() => other.prepare('SELECT COUNT(*) FROM kine').get(), /database is locked/);
    other.close();
    await first.close();
    const second = new SqliteStore({ path });
    assert.equal((await second.get('/k/a'))?.value, 'one', 'free again once the first closed');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
