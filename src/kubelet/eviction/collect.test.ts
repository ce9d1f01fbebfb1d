import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diskUsage } from './collect.js';

test('disk usage counts allocated blocks and entries, and stops at its bound', async () => {
  const root = mkdtempSync(join(tmpdir(), 'eviction-du-'));
  try {
    mkdirSync(join(root, 'a/b'), { recursive: true });
    writeFileSync(join(root, 'a/b/file'), Buffer.alloc(64 * 1024, 1));
    const usage = await diskUsage(root);
    assert.equal(usage.inodes, 4);
    assert.ok(usage.bytes >= 64 * 1024);
    assert.equal((await diskUsage(root, 2)).inodes, 2);
    assert.deepEqual(await diskUsage(join(root, 'missing')), { bytes: 0, inodes: 0 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
