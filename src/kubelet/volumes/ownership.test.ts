import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { requiresPermissionChange, setVolumeOwnership } from './ownership.js';

const base = mkdtempSync(join(tmpdir(), 'k8ts-ownership-'));
after(() => rmSync(base, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

test('fsGroup gives files the group and g+rw, directories also g+x and setgid', { skip: !isRoot && 'needs root to chown' }, () => {
  const dir = join(base, 'v1');
  mkdirSync(join(dir, 'sub'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'sub', 'f'), 'x', { mode: 0o600 });
  symlinkSync('sub/f', join(dir, 'link'));
  setVolumeOwnership(dir, { fsGroup: 1234 });
  const file = statSync(join(dir, 'sub', 'f'));
  assert.equal(file.gid, 1234);
  assert.equal(file.mode & 0o7777, 0o660);
  const sub = statSync(join(dir, 'sub'));
  assert.equal(sub.mode & 0o7777, 0o2770);
  assert.equal(statSync(dir).gid, 1234);
  assert.equal(requiresPermissionChange(dir, 1234, false), false);
  assert.equal(requiresPermissionChange(dir, 99, false), true);
});

test('OnRootMismatch skips the walk when the root is already right', { skip: !isRoot && 'needs root to chown' }, () => {
  const dir = join(base, 'v2');
  mkdirSync(dir);
  setVolumeOwnership(dir, { fsGroup: 1234 });
  writeFileSync(join(dir, 'late'), 'x', { mode: 0o600 });
  setVolumeOwnership(dir, { fsGroup: 1234, changePolicy: 'OnRootMismatch' });
  assert.equal(statSync(join(dir, 'late')).mode & 0o7777, 0o600);
  setVolumeOwnership(dir, { fsGroup: 1234, changePolicy: 'Always' });
  assert.equal(statSync(join(dir, 'late')).mode & 0o7777, 0o660);
});

test('read-only volumes get g+r only', { skip: !isRoot && 'needs root to chown' }, () => {
  const dir = join(base, 'v3');
  mkdirSync(dir);
  writeFileSync(join(dir, 'f'), 'x', { mode: 0o600 });
  setVolumeOwnership(dir, { fsGroup: 1234, readOnly: true });
  assert.equal(statSync(join(dir, 'f')).mode & 0o7777, 0o640);
  assert.equal(statSync(dir).mode & 0o2550, 0o2550);
});
