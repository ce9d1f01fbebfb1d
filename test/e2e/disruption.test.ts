// PodDisruptionBudgets end to end with the real kubectl: the disruption controller's status and
// `kubectl get pdb` columns over hand-bound, hand-readied pods, and evictions within and beyond
// the budget.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'pdb-node' } }) });
});
after(async () => {
  await cluster?.destroy();
});

/** A pod bound to pdb-node and made Running and Ready by hand (no kubelet runs here). */
async function readyPod(name: string, labels: Record<string, string>): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName: 'pdb-node', containers: [{ name: 'c', image: 'busybox' }] } };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } };
  await cluster.ok(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
}

async function budgetStatus(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await cluster.ok(['get', 'pdb', name, '-o', 'jsonpath={.status}'])) as Record<string, unknown>;
}

function evict(name: string) {
  const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
  return cluster.kubectl(['create', '--raw', `/api/v1/namespaces/default/pods/${name}/eviction`, '-f', '-'], { input: eviction });
}

test('the disruption controller fills in a budget status and kubectl get pdb shows it', async () => {
  for (const name of ['db-0', 'db-1', 'db-2']) await readyPod(name, { app: 'db' });
  await cluster.ok(['create', 'poddisruptionbudget', 'db', '--selector=app=db', '--min-available=2']);
  const status = await eventually('the budget to allow one disruption', async () => {
    const current = await budgetStatus('db');
    return current.disruptionsAllowed === 1 ? current : undefined;
  }, 15_000);
  assert.equal(status.currentHealthy, 3);
  assert.equal(status.desiredHealthy, 2);
  assert.equal(status.expectedPods, 3);
  assert.equal(status.observedGeneration, 1);
  const condition = (status.conditions as { type: string; status: string; reason: string }[]).find((c) => c.type === 'DisruptionAllowed');
  assert.deepEqual([condition?.status, condition?.reason], ['True', 'SufficientPods']);
  const table = await cluster.ok(['get', 'pdb', 'db']);
  assert.match(table, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n/);
  assert.match(table, /\ndb\s+2\s+N\/A\s+1\s+\d+s\n/);
});

test('an eviction within the budget is accepted; the next one is refused with 429', async () => {
  const first = await evict('db-0');
  assert.equal(first.code, 0, first.stderr);
  assert.notEqual(await cluster.ok(['get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '');
  const conditions = await cluster.ok(['get', 'pod', 'db-0', '-o', 'jsonpath={.status.conditions[?(@.type=="DisruptionTarget")].reason}']);
  assert.equal(conditions, 'EvictionByEvictionAPI');
  const second = await evict('db-1');
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /Error from server \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget\./);
  const status = await eventually('the controller to count the evicted pod out', async () => {
    const current = await budgetStatus('db');
    return current.currentHealthy === 2 ? current : undefined;
  }, 15_000);
  assert.equal(status.disruptionsAllowed, 0);
  assert.equal((status.conditions as { reason: string }[])[0]?.reason, 'InsufficientPods');
  assert.equal(await cluster.ok(['get', 'pdb', 'db', '-o', 'jsonpath={.status.disruptedPods}']), '');
});

test('maxUnavailable over unmanaged pods: expectedPods 0, no disruptions, UnmanagedPods event', async () => {
  await readyPod('cache-0', { app: 'cache' });
  await cluster.ok(['create', 'poddisruptionbudget', 'cache', '--selector=app=cache', '--max-unavailable=50%']);
  await eventually('the budget to be processed', async () => ((await budgetStatus('cache')).observedGeneration === 1 ? true : undefined), 15_000);
  const status = await budgetStatus('cache');
  assert.equal(status.expectedPods, 0);
  assert.equal(status.disruptionsAllowed, 0);
  const events = await cluster.ok(['get', 'events', '--field-selector=involvedObject.name=cache', '-o', 'jsonpath={.items[*].reason}']);
  assert.match(events, /UnmanagedPods/);
});
