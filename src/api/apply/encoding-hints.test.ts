import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hintFor, rememberHint } from './encoding-hints.js';
import { structType } from './type-info.js';

test('hints are remembered per type and manager, and a full type starts over instead of growing', () => {
  const type = structType({});
  const other = structType({});
  rememberHint(type, 'a', { 'f:x': {} });
  assert.deepEqual(hintFor(type, 'a'), { 'f:x': {} });
  assert.equal(hintFor(other, 'a'), undefined);
  for (let i = 0; i < 100; i++) rememberHint(type, `m${i}`, {});
  assert.equal(hintFor(type, 'a'), undefined);
  assert.deepEqual(hintFor(type, 'm99'), {});
});
