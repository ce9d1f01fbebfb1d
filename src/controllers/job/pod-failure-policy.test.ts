import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podFinishedTimeMs, remainingBackoffMs } from './backoff.js';
import { FakeClock } from '../common/clock.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';
import type { Pod } from './types.js';

const failedPod = (exitCode: number, conditions: { type: string; status: string }[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, finishedAt: '2024-01-01T00:00:05Z' } } }] },
});

test('the first matching rule decides; no match counts the failure', () => {
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
    ],
  };
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod(42, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod(42)), { countFailed: true, action: 'FailJob', failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1' });
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod(7)), { countFailed: true, action: 'Count' });
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod(1)), { countFailed: true });
  assert.deepEqual(matchPodFailurePolicy(undefined, failedPod(1)), { countFailed: true });
});

test('a condition rule names the pod and condition in the FailJob message', () => {
  const policy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue' }] }] };
  assert.equal(matchPodFailurePolicy(policy, failedPod(1, [{ type: 'ConfigIssue', status: 'True' }])).failJobMessage, 'Pod ns/p has condition ConfigIssue matching FailJob rule at index 0');
});

test('back-off doubles from 10 s per failure and is capped at 10 minutes, counted from the last failure', () => {
  const clock = new FakeClock(Date.parse('2024-01-01T00:00:05Z'));
  const finished = podFinishedTimeMs(failedPod(1));
  assert.equal(finished, clock.now());
  assert.equal(remainingBackoffMs(clock, 0, finished), 0);
  assert.equal(remainingBackoffMs(clock, 1, finished), 10_000);
  assert.equal(remainingBackoffMs(clock, 3, finished), 40_000);
  assert.equal(remainingBackoffMs(clock, 20, finished), 600_000);
  clock.step(15_000);
  assert.equal(remainingBackoffMs(clock, 2, finished), 5_000);
  assert.equal(remainingBackoffMs(clock, 1, finished), 0);
});
