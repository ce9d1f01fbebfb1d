// PodTopologySpread keeps domain totals across pods on the scheduler cache's live snapshot; they
// must always equal what a fresh snapshot of the same cluster computes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { SchedulerCache } from '../cache/cache.js';
import { CycleState } from '../framework/cycle-state.js';
import type { Framework } from '../framework/framework.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultFramework } from '../registry.js';
import { makeNode, makePod } from '../testing.js';

const zoneOf = (i: number): string => `zone-${i % 3}`;
const nodes: Node[] = Array.from({ length: 9 }, (_, i) => makeNode(`n${i}`, { labels: { 'topology.kubernetes.io/zone': zoneOf(i) } }));
const spreadPod = (name: string, node?: string): Pod =>
  makePod(name, {
    node,
    labels: { app: 'web' },
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
      ],
    },
  });

function evaluate(fw: Framework, snapshot: Snapshot, pod: Pod): { filters: Record<string, string>; scores: Record<string, number> } {
  const state = new CycleState(snapshot);
  assert.ok(fw.runPreFilterPlugins(state, pod).isSuccess());
  const filters = Object.fromEntries(snapshot.nodeInfoList.map((n) => [n.name, fw.runFilterPlugins(state, pod, n).reasons[0] ?? 'fits']));
  assert.ok(fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList).isSuccess());
  const result = fw.runScorePlugins(state, pod, snapshot.nodeInfoList);
  assert.ok(!('code' in result));
  return { filters, scores: Object.fromEntries(result.byPlugin.get('PodTopologySpread')!.map((s) => [s.name, s.score])) };
}

test('spread totals kept across pods equal a fresh computation after adds, removals and node changes', () => {
  const live = newDefaultFramework();
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  const placed: Pod[] = [];
  const check = (step: string): void => {
    const fresh = Snapshot.from({ nodes: cache.snapshot.nodeInfoList.map((n) => n.node), pods: placed });
    assert.deepEqual(evaluate(live, cache.snapshot, spreadPod('next')), evaluate(newDefaultFramework(), fresh, spreadPod('next')), step);
  };
  check('empty');
  for (const [i, node] of ['n0', 'n1', 'n3', 'n4', 'n0'].entries()) {
    const pod = spreadPod(`p${i}`, node);
    cache.addPod(pod);
    placed.push(pod);
    check(`after p${i} on ${node}`);
  }
  const removed = placed.splice(1, 1)[0]!;
  cache.removePod(removed);
  check('after a removal');
  const relabelled = makeNode('n0', { labels: { 'topology.kubernetes.io/zone': 'zone-2' } });
  cache.updateNode(relabelled);
  check('after a node moved zones');
  const terminating = { ...placed[0]!, metadata: { ...placed[0]!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  cache.updatePod(placed[0]!, terminating);
  placed[0] = terminating;
  check('terminating pods do not count');
});
