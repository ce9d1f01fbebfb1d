import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PayloadPathError, writeAtomic, type FileProjection } from './atomic-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (text: string, mode = 0o644): FileProjection => ({ data: Buffer.from(text), mode });

test('files land in a timestamped dir behind ..data, each top-level name a symlink through it', () => {
  const target = join(dir, 'a');
  assert.equal(writeAtomic(target, new Map([['key', file('one')], ['sub/deep', file('two', 0o400)]])), true);
  assert.match(readlinkSync(join(target, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
  assert.equal(readlinkSync(join(target, 'key')), '..data/key');
  assert.equal(readlinkSync(join(target, 'sub')), '..data/sub');
  assert.equal(readFileSync(join(target, 'key'), 'utf8'), 'one');
  assert.equal(statSync(join(target, 'sub/deep')).mode & 0o777, 0o400);
});

test('an unchanged payload writes nothing; a changed one swaps ..data and drops removed keys and the old dir', () => {
  const target = join(dir, 'b');
  writeAtomic(target, new Map([['x', file('1')], ['y', file('2')]]));
  const first = readlinkSync(join(target, '..data'));
  assert.equal(writeAtomic(target, new Map([['x', file('1')], ['y', file('2')]])), false);
  assert.equal(writeAtomic(target, new Map([['x', file('changed')]])), true);
  assert.notEqual(readlinkSync(join(target, '..data')), first);
  assert.equal(readFileSync(join(target, 'x'), 'utf8'), 'changed');
  assert.throws(() => lstatSync(join(target, 'y')));
  assert.deepEqual(readdirSync(target).filter((n) => n.startsWith('..') && n !== '..data').length, 1, 'only the new timestamped dir');
});

test('paths that escape or collide with the writer’s names are refused', () => {
  assert.throws(() => writeAtomic(join(dir, 'c'), new Map([['../x', file('')]])), PayloadPathError);
  assert.throws(() => writeAtomic(join(dir, 'c'), new Map([['/abs', file('')]])), PayloadPathError);
  assert.throws(() => writeAtomic(join(dir, 'c'), new Map([['..data', file('')]])), PayloadPathError);
});
