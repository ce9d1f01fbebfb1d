// The batch scoring paths (scoreNodes, one call per cycle) and the per-cycle shortcuts inside the
// score plugins must give exactly the per-node answers of `score` and of upstream's formulas.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import type { ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { Snapshot } from '../framework/snapshot.js';
import { Status } from '../framework/status.js';
import { newDefaultFramework } from '../registry.js';
import { makeNode, makePod } from '../testing.js';
import { imageScore, normalizedImageName } from './image-locality.js';
import { newNodeResourcesFit } from './node-resources-fit.js';

const MIB = 1024 * 1024;
const zones = ['zone-a', 'zone-b', 'zone-c'];

/** Nodes with and without taints, images, zones and room; pods placed on some of them. */
function cluster(): Snapshot {
  const nodes = Array.from({ length: 24 }, (_, i) =>
    makeNode(`n${i}`, {
      cpu: ['2', '4', '16'][i % 3],
      memory: ['4Gi', '8Gi', '32Gi'][i % 3],
      labels: i % 8 === 7 ? {} : { 'topology.kubernetes.io/zone': zones[i % 3]! },
      taints: [
        ...(i % 4 === 0 ? [{ key: 'soft', effect: 'PreferNoSchedule' }] : []),
        ...(i % 5 === 0 ? [{ key: 'other', value: 'v', effect: 'PreferNoSchedule' }, { key: 'hard', effect: 'NoExecute' }] : []),
      ],
      images: [
        ...(i % 3 === 0 ? [{ names: ['nginx:latest'], sizeBytes: 300 * MIB }] : []),
        ...(i % 7 === 0 ? [{ names: ['redis:7', 'docker.io/library/redis:7'], sizeBytes: 60 * MIB }, { names: ['big:1'], sizeBytes: 2000 * MIB }] : []),
      ],
      extra: i % 6 === 0 ? { 'example.com/gpu': '4' } : undefined,
    }),
  );
  const pods = Array.from({ length: 40 }, (_, i) =>
    makePod(`placed-${i}`, { node: `n${(i * 5) % 24}`, cpu: ['100m', '1', '0'][i % 3], memory: ['0', '512Mi', '2Gi'][i % 3], labels: { app: i % 2 ? 'web' : 'db' } }),
  );
  return Snapshot.from({ nodes, pods });
}

function pods(): Pod[] {
  const gpu = { name: 'c', image: 'nginx', resources: { requests: { cpu: '1', 'example.com/gpu': '1' } } };
  return [
    makePod('plain', { cpu: '500m', memory: '1Gi' }),
    makePod('no-requests'),
    makePod('images', { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis:7' }, { name: 'c', image: 'big:1' }] }),
    makePod('no-containers', { containers: [] }),
    makePod('tolerates', { spec: { tolerations: [{ key: 'soft', operator: 'Exists', effect: 'PreferNoSchedule' }] } }),
    makePod('tolerates-all', { spec: { tolerations: [{ operator: 'Exists' }] } }),
    makePod('gpu', { containers: [gpu] }),
    makePod('spread', {
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
          { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    }),
  ];
}

/** Each plugin's raw scores through `score`, node by node, and through `scoreNodes`. */
function bothWays(plugin: ScorePlugin, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { perNode: unknown[]; batch: unknown[] } {
  const perNode = nodes.map((n) => plugin.score(state, pod, n));
  const batch = new Array<number>(nodes.length).fill(-1);
  const status = plugin.scoreNodes!(state, pod, nodes, batch);
  return { perNode, batch: status instanceof Status ? [status.message()] : batch };
}

test('scoreNodes gives what score gives node by node, for every default score plugin that has it', () => {
  const snapshot = cluster();
  const fw = newDefaultFramework();
  const batchPlugins = fw.score.map((w) => w.plugin).filter((p) => p.scoreNodes);
  assert.deepEqual(batchPlugins.map((p) => p.name).sort(), [
    'ImageLocality', 'NodeResourcesBalancedAllocation', 'NodeResourcesFit', 'PodTopologySpread', 'TaintToleration',
  ]);
  for (const pod of pods()) {
    const state = new CycleState(snapshot);
    fw.runPreFilterPlugins(state, pod);
    fw.runPreScorePlugins(state, pod, snapshot.nodeInfoList);
    // Also a subset in another order, as the candidates of a cycle are.
    for (const nodes of [snapshot.nodeInfoList, snapshot.nodeInfoList.filter((_, i) => i % 3 !== 1).reverse()]) {
      for (const plugin of batchPlugins) {
        const { perNode, batch } = bothWays(plugin, state, pod, nodes);
        assert.deepEqual(batch, perNode, `${plugin.name} for pod ${pod.metadata!.name}`);
      }
    }
  }
});

test('NodeResourcesFit scoreNodes matches score under every scoring strategy and custom resources', () => {
  const snapshot = cluster();
  const strategies = [
    { type: 'LeastAllocated' as const },
    { type: 'MostAllocated' as const, resources: [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 2 }] },
    {
      type: 'RequestedToCapacityRatio' as const,
      resources: [{ name: 'cpu', weight: 1 }, { name: 'ephemeral-storage', weight: 1 }],
      requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] },
    },
  ];
  for (const scoringStrategy of strategies) {
    const plugin = newNodeResourcesFit({ scoringStrategy });
    for (const pod of pods()) {
      const state = new CycleState(snapshot);
      const { perNode, batch } = bothWays(plugin, state, pod, snapshot.nodeInfoList);
      assert.deepEqual(batch, perNode, `${scoringStrategy.type} for pod ${pod.metadata!.name}`);
    }
  }
});

test('ImageLocality scores equal upstream formula, including its shortcut for nodes without images', () => {
  const snapshot = cluster();
  const fw = newDefaultFramework();
  const plugin = fw.score.find((w) => w.plugin.name === 'ImageLocality')!.plugin;
  const total = snapshot.nodeInfoList.length;
  for (const pod of pods()) {
    const containers = [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers];
    const state = new CycleState(snapshot);
    for (const nodeInfo of snapshot.nodeInfoList) {
      // Upstream's sumImageScores and calculatePriority, written out plainly.
      let sum = 0;
      for (const c of containers) {
        const image = nodeInfo.imageStates.get(normalizedImageName(c.image ?? ''));
        if (image) sum += Math.trunc((image.sizeBytes * image.numNodes) / total);
      }
      const expected = containers.length === 0 ? 0 : imageScore(sum, containers.length);
      assert.equal(plugin.score(state, pod, nodeInfo), expected, `pod ${pod.metadata!.name} on ${nodeInfo.name}`);
    }
  }
});
