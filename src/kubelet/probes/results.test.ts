import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProbeResults } from './results.js';

test('readiness starts failed and flips after successThreshold successes in a row', () => {
  const r = new ProbeResults('readiness', { successThreshold: 2, failureThreshold: 2 });
  assert.equal(r.result, 'failure');
  assert.equal(r.record('success'), false);
  assert.equal(r.record('failure'), false, 'a failure breaks the run');
  assert.equal(r.record('success'), false);
  assert.equal(r.record('success'), true);
  assert.equal(r.result, 'success');
  assert.equal(r.record('failure'), false);
  assert.equal(r.record('failure'), true);
  assert.equal(r.result, 'failure');
  assert.equal(r.onHold, false, 'readiness keeps probing');
});

test('liveness starts alive and fails after failureThreshold (default 3), then holds', () => {
  const r = new ProbeResults('liveness', {});
  assert.equal(r.result, 'success');
  r.record('failure');
  r.record('failure');
  assert.equal(r.result, 'success');
  assert.equal(r.record('failure'), true);
  assert.equal(r.result, 'failure');
  assert.equal(r.onHold, true);
  assert.equal(r.due(0, 1e9), false, 'no probes until the container is replaced');
});

test('startup is unknown until a success', () => {
  const r = new ProbeResults('startup', {});
  assert.equal(r.result, 'unknown');
  assert.equal(r.record('success'), true);
  assert.equal(r.result, 'success');
});

test('a probe is not due before initialDelaySeconds after the container started', () => {
  const r = new ProbeResults('readiness', { initialDelaySeconds: 5 });
  assert.equal(r.due(1_000, 5_999), false);
  assert.equal(r.due(1_000, 6_000), true);
});
