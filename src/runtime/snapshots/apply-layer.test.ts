import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { applyLayer, UnsafeLayerError } from './apply-layer.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-layer-'));
after(() => rmSync(work, { recursive: true, force: true }));

function archive(name: string, build: (dir: string) => void, members = ['.']): string {
  const dir = join(work, `${name}-src`);
  mkdirSync(dir, { recursive: true });
  build(dir);
  const file = join(work, `${name}.tar`);
  execFileSync('tar', ['--format=pax', '-cf', file, '-C', dir, ...members]);
  return file;
}

test('a layer unpacks files, modes, owners and symlinks', async () => {
  const tar = archive('base', (dir) => {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('tool', join(dir, 'bin', 'alias'));
  });
  const root = join(work, 'base');
  const result = await applyLayer(root, createReadStream(tar));
  assert.ok(result.entries >= 3);
  assert.equal(readFileSync(join(root, 'bin', 'tool'), 'utf8'), '#!/bin/sh\n');
  assert.equal(lstatSync(join(root, 'bin', 'tool')).mode & 0o777, 0o755);
  assert.equal(readlinkSync(join(root, 'bin', 'alias')), 'tool');
});

test('OCI whiteouts become overlayfs whiteouts and opaque directories', async () => {
  const tar = archive('upper', (dir) => {
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', '.wh.passwd'), '');
    mkdirSync(join(dir, 'var'));
    writeFileSync(join(dir, 'var', '.wh..wh..opq'), '');
  });
  const root = join(work, 'upper');
  await applyLayer(root, createReadStream(tar));
  const whiteout = lstatSync(join(root, 'etc', 'passwd'));
  assert.ok(whiteout.isCharacterDevice());
  assert.equal(whiteout.rdev, 0);
  assert.equal(existsSync(join(root, 'var', '.wh..wh..opq')), false);
  assert.match(execFileSync('getfattr', ['--absolute-names', '-n', 'trusted.overlay.opaque', join(root, 'var')]).toString(), /trusted.overlay.opaque="y"/);
});

test('entries through a symlink the layer made are refused', async () => {
  const tar = archive('evil', (dir) => {
    symlinkSync('/tmp', join(dir, 'escape'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'x'), 'x');
  }, ['escape', 'real']);
  // Rewrite the archive so real/x appears as escape/x: GNU tar --transform does it.
  const file = join(work, 'evil2.tar');
  execFileSync('tar', ['--format=pax', '-cf', file, '-C', join(work, 'evil-src'), '--transform', 's,^real,escape,', 'escape', 'real/x']);
  await assert.rejects(applyLayer(join(work, 'evil'), createReadStream(file)), UnsafeLayerError);
  assert.equal(existsSync('/tmp/x'), false);
  void tar;
});
