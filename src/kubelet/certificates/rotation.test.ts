import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextRotationDeadline } from './rotation.js';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2026-01-11T00:00:00Z');

test('renewal falls between 70% and 90% of the lifetime', () => {
  assert.equal(nextRotationDeadline(notBefore, notAfter, () => 0).toISOString(), '2026-01-08T00:00:00.000Z');
  assert.equal(nextRotationDeadline(notBefore, notAfter, () => 0.5).toISOString(), '2026-01-09T00:00:00.000Z');
  assert.ok(nextRotationDeadline(notBefore, notAfter, () => 0.999999).getTime() < Date.parse('2026-01-10T00:00:00Z'));
});
