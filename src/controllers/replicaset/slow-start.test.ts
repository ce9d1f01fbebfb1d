import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slowStartBatch } from './slow-start.js';

test('batches double from the initial size until the count is reached', async () => {
  const batches: number[] = [];
  let inBatch = 0;
  const result = await slowStartBatch(10, 1, async () => {
    inBatch++;
    await Promise.resolve();
    if (inBatch > 0) {
      batches.push(inBatch);
      inBatch = 0;
    }
  });
  assert.deepEqual(result, { successes: 10 });
  assert.deepEqual(batches, [1, 2, 4, 3]);
});

test('a failing batch stops further batches and reports the first error', async () => {
  let calls = 0;
  const result = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls >= 2) throw new Error('quota exceeded');
  });
  // Batch 1 (one call) succeeds, batch 2 (two calls) fails both: 3 calls, 1 success.
  assert.equal(calls, 3);
  assert.equal(result.successes, 1);
  assert.equal((result.error as Error).message, 'quota exceeded');
});
