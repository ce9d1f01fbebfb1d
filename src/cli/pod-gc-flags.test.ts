import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminatedPodGcThresholdValue } from './pod-gc-flags.js';

test('--terminated-pod-gc-threshold takes an integer and refuses anything else', () => {
  assert.equal(terminatedPodGcThresholdValue(new Map([['terminated-pod-gc-threshold', '5']])), 5);
  assert.equal(terminatedPodGcThresholdValue(new Map()), undefined);
  assert.throws(() => terminatedPodGcThresholdValue(new Map([['terminated-pod-gc-threshold', 'many']])), /invalid argument "many" for "--terminated-pod-gc-threshold" flag/);
});
