import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTar } from './tar-reader.js';
import { writeTar } from './tar-writer.js';

async function* one(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

test('what writeTar writes, readTar reads back: files, dirs, symlinks, long names, whiteouts', async () => {
  const long = `${'d'.repeat(80)}/${'f'.repeat(90)}`;
  const archive = writeTar([
    { header: { name: 'etc', type: 'directory', mode: 0o755 } },
    { header: { name: 'etc/passwd', type: 'file', mode: 0o644, size: 5, uid: 1, gid: 2, mtimeMs: 1_700_000_000_000 }, content: () => one(Buffer.from('root\n')) },
    { header: { name: 'bin/sh', type: 'symlink', mode: 0o777, linkName: 'busybox' } },
    { header: { name: long, type: 'file', mode: 0o600, size: 0 } },
    { header: { name: 'etc/.wh.shadow', type: 'file', mode: 0o600, size: 0 } },
  ]);
  const seen: string[] = [];
  for await (const entry of readTar(archive)) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.content()) chunks.push(chunk);
    const content = Buffer.concat(chunks);
    seen.push(`${entry.header.type}:${entry.header.name}:${entry.header.linkName}:${content.toString()}`);
    if (entry.header.name === 'etc/passwd') {
      assert.equal(entry.header.uid, 1);
      assert.equal(entry.header.mtimeMs, 1_700_000_000_000);
    }
  }
  assert.deepEqual(seen, ['directory:etc::', 'file:etc/passwd::root\n', 'symlink:bin/sh:busybox:', `file:${long}::`, 'file:etc/.wh.shadow::']);
});
