import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runStoreConformance } from '../conformance.js';
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
