import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestamp } from './object-meta.js';

test('timestamp formats each second to RFC 3339 without fractions, whatever came before', () => {
  assert.equal(timestamp(new Date('2024-01-02T03:04:05.678Z')), '2024-01-02T03:04:05Z');
  assert.equal(timestamp(new Date('2024-01-02T03:04:05.999Z')), '2024-01-02T03:04:05Z');
  assert.equal(timestamp(new Date('2024-01-02T03:04:06.001Z')), '2024-01-02T03:04:06Z');
  assert.equal(timestamp(new Date('1969-12-31T23:59:59.500Z')), '1969-12-31T23:59:59Z');
  assert.throws(() => timestamp(new Date(Number.NaN)), RangeError);
  assert.match(timestamp(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});
