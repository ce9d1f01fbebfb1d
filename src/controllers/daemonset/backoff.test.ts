import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailedPodsBackoff, failedPodBackoffInitialMs, failedPodBackoffMaxMs } from './backoff.js';

test('the delay starts at 1 s, doubles up to 15 min, and starts over after a long quiet spell', () => {
  const backoff = new FailedPodsBackoff();
  assert.equal(backoff.isInBackOffSinceUpdate('ds/node', 0), false);
  backoff.next('ds/node', 0);
  assert.equal(backoff.get('ds/node'), failedPodBackoffInitialMs);
  assert.equal(backoff.isInBackOffSinceUpdate('ds/node', 999), true);
  assert.equal(backoff.isInBackOffSinceUpdate('ds/node', 1000), false);
  for (let i = 0; i < 20; i++) backoff.next('ds/node', 1000);
  assert.equal(backoff.get('ds/node'), failedPodBackoffMaxMs);
  backoff.next('ds/node', 1000 + 2 * failedPodBackoffMaxMs + 1);
  assert.equal(backoff.get('ds/node'), failedPodBackoffInitialMs);
});
