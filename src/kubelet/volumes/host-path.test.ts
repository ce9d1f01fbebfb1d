import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkHostPath } from './host-path.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-hostpath-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('DirectoryOrCreate and FileOrCreate create what is missing', () => {
  checkHostPath(join(dir, 'made/deep'), 'DirectoryOrCreate');
  assert.ok(statSync(join(dir, 'made/deep')).isDirectory());
  checkHostPath(join(dir, 'file'), 'FileOrCreate');
  assert.ok(statSync(join(dir, 'file')).isFile());
});

test('Directory, File and Socket require the path to exist as that kind, with upstream’s message', () => {
  writeFileSync(join(dir, 'f'), '');
  assert.throws(() => checkHostPath(join(dir, 'f'), 'Directory'), { message: `hostPath type check failed: ${join(dir, 'f')} is not a directory` });
  assert.throws(() => checkHostPath(join(dir, 'missing'), 'File'), /is not a file/);
  assert.throws(() => checkHostPath(join(dir, 'f'), 'Socket'), /is not a socket file/);
  assert.throws(() => checkHostPath(dir, 'FileOrCreate'), /is not a file/);
  checkHostPath(join(dir, 'anything-goes'), undefined);
  assert.equal(existsSync(join(dir, 'anything-goes')), false);
});
