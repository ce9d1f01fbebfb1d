import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../../api/errors.js';
import { canIgnorePdb, decrementedBudget, matchingBudgets, unhealthyPodMayGo } from './eviction.js';

const budget = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ metadata: { name: 'db', generation: 1 }, spec: { selector: { matchLabels: { app: 'db' } }, ...spec }, status: { observedGeneration: 1, ...status } });

test('finished, pending and terminating pods are evicted without consulting budgets', () => {
  assert.equal(canIgnorePdb({ status: { phase: 'Succeeded' } }), true);
  assert.equal(canIgnorePdb({ status: { phase: 'Pending' } }), true);
  assert.equal(canIgnorePdb({ metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Running' } }), true);
  assert.equal(canIgnorePdb({ status: { phase: 'Running' } }), false);
});

test('a budget with an empty selector guards nothing during eviction', () => {
  const pod = { metadata: { labels: { app: 'db' } } };
  assert.equal(matchingBudgets(pod, [budget({}, { selector: {} })]).length, 0);
  assert.equal(matchingBudgets(pod, [budget({})]).length, 1);
});

test('a budget allowing no disruption refuses with 429 and upstream message and cause', () => {
  assert.throws(
    () => decrementedBudget(budget({ disruptionsAllowed: 0, desiredHealthy: 2, currentHealthy: 2 }), 'db-0', '2024-01-01T00:00:00Z', false),
    (error: unknown) => {
      assert.ok(error instanceof StatusError);
      assert.equal(error.code, 429);
      assert.equal(error.message, "Cannot evict pod as it would violate the pod's disruption budget.");
      assert.deepEqual(error.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 2 healthy pods and has 2 currently' }] });
      return true;
    },
  );
});

test('a budget the controller has not processed yet asks the client to retry in 10 s', () => {
  const stale = { ...budget({ disruptionsAllowed: 3 }), metadata: { name: 'db', generation: 2 } };
  assert.throws(() => decrementedBudget(stale, 'db-0', 'now', false), (error: unknown) => (error as StatusError).code === 429 && ((error as StatusError).details as { retryAfterSeconds?: number }).retryAfterSeconds === 10);
});

test('an allowed eviction takes one disruption and records the pod; the last one flips the condition', () => {
  const next = decrementedBudget(budget({ disruptionsAllowed: 1, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' }] }), 'db-0', '2024-01-01T00:00:00Z', false);
  assert.equal(next.status?.disruptionsAllowed, 0);
  assert.deepEqual(next.status?.disruptedPods, { 'db-0': '2024-01-01T00:00:00Z' });
  assert.deepEqual(next.status?.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:00:00Z' }]);
  assert.equal(decrementedBudget(budget({ disruptionsAllowed: 1 }), 'db-0', 'now', true).status?.disruptedPods, undefined);
});

test('unready pods may go when the budget is met, or always under AlwaysAllow', () => {
  assert.equal(unhealthyPodMayGo(budget({ currentHealthy: 2, desiredHealthy: 2 })), true);
  assert.equal(unhealthyPodMayGo(budget({ currentHealthy: 1, desiredHealthy: 2 })), false);
  assert.equal(unhealthyPodMayGo(budget({ currentHealthy: 0, desiredHealthy: 0 })), false);
  assert.equal(unhealthyPodMayGo(budget({ currentHealthy: 0, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' })), true);
});
