import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstPendingIndexes, formatIndexes, parseIndexes, withIndexes } from './indexes.js';
import type { Pod } from './types.js';

const podWithIndex = (index: number): Pod => ({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': String(index) } }, status: { phase: 'Running' } });

test('completed indexes round-trip through the compressed text form', () => {
  assert.equal(formatIndexes(withIndexes([], [1, 3, 4, 5, 7])), '1,3-5,7');
  assert.deepEqual(parseIndexes('1,3-5,7', 10), [{ first: 1, last: 1 }, { first: 3, last: 5 }, { first: 7, last: 7 }]);
  // Indexes beyond completions (after a scale-down) are dropped.
  assert.equal(formatIndexes(parseIndexes('0-2,5-9', 7)), '0-2,5-6');
  assert.equal(formatIndexes(withIndexes(parseIndexes('0,2', 5), [1])), '0-2');
});

test('pending indexes skip succeeded, failed and running ones', () => {
  const pending = firstPendingIndexes({ succeeded: parseIndexes('0,2', 10), failed: parseIndexes('4', 10), activePods: [podWithIndex(1), podWithIndex(5)], completions: 10 }, 3);
  assert.deepEqual(pending, [3, 6, 7]);
  assert.deepEqual(firstPendingIndexes({ succeeded: parseIndexes('0-1', 3), activePods: [], completions: 3 }, 5), [2]);
});
