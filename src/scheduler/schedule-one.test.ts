import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Snapshot } from './framework/snapshot.js';
import { newDefaultFramework } from './registry.js';
import { numFeasibleNodesToFind, scheduleOne, selectHost, type Unschedulable } from './schedule-one.js';
import { makeNode, makePod } from './testing.js';

const unschedulable = (r: ReturnType<typeof scheduleOne>): Unschedulable['unschedulable'] => {
  assert.ok('unschedulable' in r, `expected unschedulable, got ${JSON.stringify(r)}`);
  return r.unschedulable;
};

test('the message counts reasons per node, sorted, then what preemption found', () => {
  const snapshot = Snapshot.from({
    nodes: [makeNode('small', { cpu: '1' }), makeNode('gpu-a', { labels: { pool: 'gpu' } }), makeNode('gpu-b', { labels: { pool: 'gpu' } })],
  });
  const pod = makePod('p', { cpu: '2', spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'DoesNotExist' }] }] } } } } });
  const result = unschedulable(scheduleOne(newDefaultFramework(), snapshot, pod));
  assert.equal(
    result.message,
    "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  );
  assert.deepEqual([...result.unschedulablePlugins].sort(), ['NodeAffinity', 'NodeResourcesFit']);
  assert.equal(result.nodeStatuses.get('small')?.reasons[0], 'Insufficient cpu');
});

test('all nodes unresolvable: preemption is not helpful anywhere', () => {
  const snapshot = Snapshot.from({ nodes: ['a', 'b', 'c'].map((n) => makeNode(n, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })) });
  const result = unschedulable(scheduleOne(newDefaultFramework(), snapshot, makePod('p')));
  assert.equal(
    result.message,
    '0/3 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
});

test('a higher-priority pod preempts the lowest-priority pod and gets nominated', () => {
  const snapshot = Snapshot.from({
    nodes: [makeNode('n1', { cpu: '2' }), makeNode('n2', { cpu: '2' })],
    pods: [
      makePod('n1-low', { node: 'n1', cpu: '2', priority: 10 }),
      makePod('n2-mid', { node: 'n2', cpu: '2', priority: 50 }),
    ],
  });
  const result = unschedulable(scheduleOne(newDefaultFramework(), snapshot, makePod('p', { cpu: '2', priority: 100 })));
  assert.equal(result.nominatedNodeName, 'n1');
  assert.deepEqual(result.victims?.map((v) => v.metadata?.name), ['n1-low']);
  assert.equal(result.message, '0/2 nodes are available: 2 Insufficient cpu.');
});

test('preemptionPolicy Never says so in the message', () => {
  const snapshot = Snapshot.from({ nodes: [makeNode('n1', { cpu: '1' })], pods: [makePod('low', { node: 'n1', cpu: '1', priority: 0 })] });
  const pod: Pod = makePod('p', { cpu: '1', priority: 100, spec: { preemptionPolicy: 'Never' } });
  assert.equal(unschedulable(scheduleOne(newDefaultFramework(), snapshot, pod)).message, '0/1 nodes are available: 1 Insufficient cpu. not eligible due to preemptionPolicy=Never.');
});

test('the least allocated node wins', () => {
  const snapshot = Snapshot.from({
    nodes: [makeNode('busy'), makeNode('idle')],
    pods: [makePod('e', { node: 'busy', cpu: '3', memory: '6Gi' })],
  });
  const result = scheduleOne(newDefaultFramework(), snapshot, makePod('p', { cpu: '500m', memory: '1Gi' }));
  assert.ok('node' in result);
  assert.equal(result.node, 'idle');
});

test('numFeasibleNodesToFind is adaptive as upstream', () => {
  assert.equal(numFeasibleNodesToFind(undefined, 50), 50);
  assert.equal(numFeasibleNodesToFind(undefined, 500), 230); // 50 - 4 = 46%
  assert.equal(numFeasibleNodesToFind(undefined, 5000), 500); // 50 - 40 = 10%
  assert.equal(numFeasibleNodesToFind(undefined, 10000), 500); // floor at 5%
  assert.equal(numFeasibleNodesToFind(1, 1000), 100); // never below 100 nodes
  assert.equal(numFeasibleNodesToFind(100, 1000), 1000);
});

test('only the adaptive share of nodes is filtered, continuing round-robin next time', () => {
  const nodes = Array.from({ length: 500 }, (_, i) => makeNode(`n${i}`));
  const snapshot = Snapshot.from({ nodes });
  const first = scheduleOne(newDefaultFramework(), snapshot, makePod('p'), { random: () => 0 });
  assert.ok('node' in first);
  assert.equal(first.evaluatedNodes, 230);
  assert.equal(first.nextStartNodeIndex, 230);
  const second = scheduleOne(newDefaultFramework(), snapshot, makePod('q'), { startNodeIndex: first.nextStartNodeIndex, random: () => 0 });
  assert.equal(second.nextStartNodeIndex, 460);
});

test('ties are broken at random among the best nodes only', () => {
  const scores = [{ name: 'a', score: 5 }, { name: 'b', score: 9 }, { name: 'c', score: 9 }, { name: 'd', score: 9 }];
  assert.equal(selectHost(scores, () => 0.99), 'b');
  assert.equal(selectHost(scores, () => 0), 'd');
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(selectHost(scores, Math.random));
  assert.deepEqual([...seen].sort(), ['b', 'c', 'd']);
});

test('no nodes is an error, not a FitError', () => {
  const result = scheduleOne(newDefaultFramework(), Snapshot.from({ nodes: [] }), makePod('p'));
  assert.ok('error' in result);
  assert.equal(result.error.message(), 'no nodes available to schedule pods');
});
