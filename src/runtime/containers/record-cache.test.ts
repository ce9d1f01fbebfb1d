import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecordCache } from './record-cache.js';
import type { ContainerRecord } from './record.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-records-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (id: string): ContainerRecord => ({ id, sandboxId: 's', config: { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' } } as never, image: 'busybox', imageRef: 'sha256:x', cgroupPath: '/k8ts/c', runtime: 'runc', logPath: '/dev/null', createdAtNs: 1 });

test('records are saved before they are kept, read from disk once, and updated one after another', async () => {
  const cache = new RecordCache(dir);
  mkdirSync(join(dir, 'a'));
  assert.equal(cache.has('a'), false);
  await cache.create(record('a'));
  assert.equal(cache.has('a'), true);
  assert.equal(JSON.parse(readFileSync(cache.path('a'), 'utf8')).id, 'a');

  const current = (): ContainerRecord => cache.get('a')!;
  const first = cache.update('a', current, async (r) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    r.pid = 1;
  });
  const second = cache.update('a', current, (r) => {
    // Runs on the record the first update saved.
    assert.equal(r.pid, 1);
    r.exitCode = 0;
  });
  await Promise.all([first, second]);
  assert.deepEqual([cache.get('a')!.pid, cache.get('a')!.exitCode], [1, 0]);

  // Another cache (an agent restart) reads what was saved.
  const restarted = new RecordCache(dir);
  assert.equal(restarted.peek('a')?.exitCode, 0);
  assert.equal(restarted.get('b'), undefined);
  restarted.forget('a');
  assert.equal(restarted.has('a'), true, 'forget drops only the kept copy');
});
