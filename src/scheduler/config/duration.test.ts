import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDurationMs } from './duration.js';

test('Go durations in milliseconds', () => {
  assert.equal(parseGoDurationMs('15s'), 15_000);
  assert.equal(parseGoDurationMs('1m30s'), 90_000);
  assert.equal(parseGoDurationMs('1.5h'), 5_400_000);
  assert.equal(parseGoDurationMs('250ms'), 250);
  assert.equal(parseGoDurationMs('0'), 0);
  assert.equal(parseGoDurationMs('-2s'), -2000);
});

test('anything else is upstream\'s invalid duration error', () => {
  assert.throws(() => parseGoDurationMs('15'), { message: 'time: invalid duration "15"' });
  assert.throws(() => parseGoDurationMs('5 s'), { message: 'time: invalid duration "5 s"' });
  assert.throws(() => parseGoDurationMs(''), { message: 'time: invalid duration ""' });
});
