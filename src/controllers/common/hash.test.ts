import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeHash, safeEncodeString } from './hash.js';

test('a template hash is stable across key order and changes with the template and collision count', () => {
  const a = computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const b = computeHash({ spec: { containers: [{ image: 'busybox', name: 'c' }] }, metadata: { labels: { app: 'x' } } });
  assert.equal(a, b);
  assert.notEqual(a, computeHash({ spec: { containers: [{ name: 'c', image: 'nginx' }] }, metadata: { labels: { app: 'x' } } }));
  assert.notEqual(a, computeHash({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, 1));
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('safeEncodeString uses no vowels', () => {
  // Each byte picks alphanums[byte % 27], as upstream: '0' is byte 48, 48 % 27 = 21 -> '4'.
  assert.equal(safeEncodeString('0'), '4');
  assert.doesNotMatch(safeEncodeString('hello world 12345'), /[aeiou013]/);
});
