// Scores with upstream's arithmetic, and the pod-to-pod filters (affinity, spread).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultFramework } from '../registry.js';
import { makeNode, makePod } from '../testing.js';
import { imageScore } from './image-locality.js';
import { balancedScore } from './node-resources-balanced-allocation.js';
import { leastRequestedScore, mostRequestedScore } from './node-resources-fit.js';

function scoresByPlugin(pod: Pod, nodes: Node[], pods: Pod[] = []): Map<string, Record<string, number>> {
  const fw = newDefaultFramework();
  const snapshot = Snapshot.from({ nodes, pods });
  const state = new CycleState(snapshot);
  assert.ok(fw.runPreFilterPlugins(state, pod).isSuccess());
  assert.ok(fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList).isSuccess());
  const result = fw.runScorePlugins(state, pod, snapshot.nodeInfoList);
  assert.ok(!('code' in result));
  return new Map([...result.byPlugin].map(([name, scores]) => [name, Object.fromEntries(scores.map((s) => [s.name, s.score]))]));
}

function filterCodes(pod: Pod, nodes: Node[], pods: Pod[] = []): Record<string, string> {
  const fw = newDefaultFramework();
  const snapshot = Snapshot.from({ nodes, pods });
  const state = new CycleState(snapshot);
  assert.ok(fw.runPreFilterPlugins(state, pod).isSuccess());
  return Object.fromEntries(snapshot.nodeInfoList.map((n) => [n.name, fw.runFilterPlugins(state, pod, n).reasons[0] ?? 'fits']));
}

test('resource score arithmetic matches upstream integer math', () => {
  assert.equal(leastRequestedScore(3000, 4000), 25);
  assert.equal(leastRequestedScore(5000, 4000), 0);
  assert.equal(mostRequestedScore(3000, 4000), 75);
  assert.equal(mostRequestedScore(5000, 4000), 100);
  assert.equal(balancedScore([2000, 2 * 2 ** 30], [4000, 8 * 2 ** 30]), 87); // fractions .5 and .25: std .125
  assert.equal(imageScore(0, 1), 0);
  assert.equal(imageScore(1000 * 2 ** 20, 1), 100);
});

test('TaintToleration and NodeAffinity scores are normalised to 0..100', () => {
  const pod = makePod('p', {
    spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } },
  });
  const nodes = [
    makeNode('ssd', { labels: { disk: 'ssd' }, taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }),
    makeNode('hdd', { labels: { disk: 'hdd' }, taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
    makeNode('plain'),
  ];
  const scores = scoresByPlugin(pod, nodes);
  assert.deepEqual(scores.get('NodeAffinity'), { ssd: 100, hdd: 0, plain: 0 });
  assert.deepEqual(scores.get('TaintToleration'), { ssd: 0, hdd: 50, plain: 100 });
});

test('default spreading prefers the node and zone with fewer pods of the same Service', () => {
  const labels = { app: 'web' };
  const nodes = [makeNode('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } }), makeNode('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } })];
  const fw = newDefaultFramework();
  const snapshot = Snapshot.from({
    nodes,
    pods: [makePod('w1', { node: 'a1', labels }), makePod('w2', { node: 'a1', labels })],
    services: [{ metadata: { name: 'web', namespace: 'default' }, spec: { selector: labels } }],
  });
  const state = new CycleState(snapshot);
  const pod = makePod('w3', { labels });
  fw.runPreFilterPlugins(state, pod);
  fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList);
  const result = fw.runScorePlugins(state, pod, snapshot.nodeInfoList);
  assert.ok(!('code' in result));
  const spread = Object.fromEntries(result.byPlugin.get('PodTopologySpread')!.map((s) => [s.name, s.score]));
  assert.ok(spread.b1! > spread.a1!, JSON.stringify(spread));
  assert.equal(spread.b1, 100);
});

test('required anti-affinity by hostname keeps replicas apart; existing pods\' anti-affinity is honoured', () => {
  const antiAffinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } };
  const nodes = [makeNode('n1'), makeNode('n2')];
  const existing = [makePod('db-0', { node: 'n1', labels: { app: 'db' } })];
  assert.deepEqual(filterCodes(makePod('db-1', { labels: { app: 'db' }, spec: { affinity: antiAffinity } }), nodes, existing), {
    n1: "node(s) didn't match pod anti-affinity rules",
    n2: 'fits',
  });
  const guarded = [makePod('db-0', { node: 'n1', labels: { app: 'db' }, spec: { affinity: antiAffinity } })];
  assert.deepEqual(filterCodes(makePod('other', { labels: { app: 'db' } }), nodes, guarded), {
    n1: "node(s) didn't satisfy existing pods anti-affinity rules",
    n2: 'fits',
  });
});

test('required affinity needs a matching pod in the domain, except for the first of a self-affine group', () => {
  const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'cache' } } }] } };
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } }), makeNode('nolabel')];
  const withCache = [makePod('cache-0', { node: 'a', labels: { app: 'cache' } })];
  assert.deepEqual(filterCodes(makePod('web', { spec: { affinity } }), nodes, withCache), {
    a: 'fits',
    b: "node(s) didn't match pod affinity rules",
    nolabel: "node(s) didn't match pod affinity rules",
  });
  assert.deepEqual(filterCodes(makePod('cache-1', { labels: { app: 'cache' }, spec: { affinity } }), nodes), {
    a: 'fits',
    b: 'fits',
    nolabel: "node(s) didn't match pod affinity rules",
  });
});

test('DoNotSchedule spread rejects the domain that would exceed maxSkew, and nodes missing the key', () => {
  const labels = { app: 'web' };
  const constraint = { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } };
  const nodes = [makeNode('a', { labels: { zone: 'z1' } }), makeNode('b', { labels: { zone: 'z2' } }), makeNode('c')];
  const pods = [makePod('w1', { node: 'a', labels })];
  assert.deepEqual(filterCodes(makePod('w2', { labels, spec: { topologySpreadConstraints: [constraint] } }), nodes, pods), {
    a: "node(s) didn't match pod topology spread constraints",
    b: 'fits',
    c: "node(s) didn't match pod topology spread constraints (missing required label)",
  });
});
