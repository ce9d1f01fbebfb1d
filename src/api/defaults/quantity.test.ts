import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantityToNano } from './quantity.js';

test('quantityToNano gives the same answer for a text seen before, quantity or not', () => {
  for (let i = 0; i < 2; i++) {
    assert.equal(quantityToNano('100m'), 100_000_000n);
    assert.equal(quantityToNano('1Ki'), 1024n * 1_000_000_000n);
    assert.equal(quantityToNano('-2'), -2_000_000_000n);
    assert.equal(quantityToNano(1.5), 1_500_000_000n);
    assert.equal(quantityToNano('ten'), undefined);
    assert.equal(quantityToNano(undefined), undefined);
  }
});
