import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultBinder } from '../plugins/default-binder.js';
import { inTreeRegistry } from '../registry.js';
import { scheduleOne } from '../schedule-one.js';
import { makeNode, makePod } from '../testing.js';
import { buildFrameworks, defaultSchedulerConfiguration, leaderElectionTimingsMs, parseSchedulerConfiguration, SchedulerConfigError } from './index.js';

const header = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';
const build = (yaml: string) => buildFrameworks(parseSchedulerConfiguration(header + yaml));
const pluginNames = (list: readonly { name: string }[]): string[] => list.map((p) => p.name);

test('the default configuration builds upstream\'s default profile', () => {
  const frameworks = buildFrameworks(defaultSchedulerConfiguration());
  const fw = frameworks.get('default-scheduler')!;
  assert.deepEqual([...frameworks.keys()], ['default-scheduler']);
  assert.deepEqual(pluginNames(fw.filter), [
    'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions',
    'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity',
  ]);
  assert.deepEqual(fw.score.map((s) => `${s.plugin.name}:${s.weight}`), [
    'TaintToleration:3', 'NodeAffinity:2', 'NodeResourcesFit:1', 'PodTopologySpread:2', 'InterPodAffinity:2',
    'NodeResourcesBalancedAllocation:1', 'ImageLocality:1',
  ]);
  assert.deepEqual(pluginNames(fw.reserve), ['VolumeBinding']);
  assert.deepEqual(pluginNames(fw.preBind), ['VolumeBinding']);
  assert.deepEqual(pluginNames(fw.bind), ['DefaultBinder']);
  assert.equal(fw.queueSort?.name, 'PrioritySort');
});

test('several profiles, each with its own plugins and percentage', () => {
  const frameworks = build(`percentageOfNodesToScore: 40
profiles:
- schedulerName: default-scheduler
- schedulerName: no-scoring
  percentageOfNodesToScore: 10
  plugins:
    score:
      disabled:
      - name: '*'
`);
  assert.equal(frameworks.get('default-scheduler')!.profile.percentageOfNodesToScore, 40);
  const noScoring = frameworks.get('no-scoring')!;
  assert.equal(noScoring.profile.percentageOfNodesToScore, 10);
  assert.equal(noScoring.score.length, 0);
  assert.ok(noScoring.filter.length > 0);
});

test('a plugin named at one point runs before the other MultiPoint plugins there, with that point\'s weight', () => {
  const fw = build(`profiles:
- plugins:
    score:
      enabled:
      - name: ImageLocality
        weight: 9
    filter:
      disabled:
      - name: NodePorts
`).get('default-scheduler')!;
  assert.equal(fw.score[0]!.plugin.name, 'ImageLocality');
  assert.equal(fw.score[0]!.weight, 9);
  assert.equal(fw.score.filter((s) => s.plugin.name === 'ImageLocality').length, 1);
  assert.ok(!pluginNames(fw.filter).includes('NodePorts'));
  // Disabled at Filter only: its PreFilter still runs.
  assert.ok(pluginNames(fw.preFilter).includes('NodePorts'));
});

test('NodeResourcesFit MostAllocated from the config packs pods', () => {
  const yaml = `profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
`;
  const fw = build(yaml).get('default-scheduler')!;
  const snapshot = Snapshot.from({
    nodes: [makeNode('empty'), makeNode('busy')],
    pods: [makePod('existing', { node: 'busy', cpu: '2', memory: '4Gi' })],
  });
  const result = scheduleOne(fw, snapshot, makePod('p', { cpu: '1', memory: '1Gi' }), { random: () => 0 });
  assert.ok('node' in result);
  assert.equal(result.node, 'busy');
  const spread = scheduleOne(buildFrameworks(defaultSchedulerConfiguration()).get('default-scheduler')!, snapshot, makePod('p', { cpu: '1', memory: '1Gi' }), { random: () => 0 });
  assert.ok('node' in spread && spread.node === 'empty');
});

test('NodeAffinity addedAffinity from the config is enforced on every pod', () => {
  const fw = build(`profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions:
            - key: pool
              operator: In
              values: [batch]
`).get('default-scheduler')!;
  const snapshot = Snapshot.from({ nodes: [makeNode('a'), makeNode('b', { labels: { pool: 'batch' } })] });
  const result = scheduleOne(fw, snapshot, makePod('p'), { random: () => 0 });
  assert.ok('node' in result && result.node === 'b');
  const none = scheduleOne(fw, Snapshot.from({ nodes: [makeNode('a')] }), makePod('p'));
  assert.ok('unschedulable' in none);
  assert.match(none.unschedulable.message, /1 node\(s\) didn't match scheduler-enforced node affinity/);
});

test('an unknown plugin fails the profile as kube-scheduler does', () => {
  assert.throws(() => build(`profiles:\n- plugins:\n    multiPoint:\n      enabled:\n      - name: Foo\n`), {
    name: 'SchedulerConfigError',
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: PreFilterPlugin "Foo" does not exist',
  });
  assert.throws(() => build(`profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: Foo\n`), {
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: FilterPlugin "Foo" does not exist',
  });
  assert.throws(() => build(`profiles:\n- plugins:\n    filter:\n      enabled:\n      - name: ImageLocality\n`), {
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: plugin "ImageLocality" does not extend FilterPlugin plugin',
  });
});

test('a profile without a bind plugin, or with two queue sorts, is refused', () => {
  assert.throws(() => build(`profiles:\n- plugins:\n    bind:\n      disabled:\n      - name: '*'\n`), {
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: at least one bind plugin is needed for profile with scheduler name "default-scheduler"',
  });
  assert.throws(() => build(`profiles:\n- plugins:\n    queueSort:\n      disabled:\n      - name: '*'\n`), {
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0',
  });
});

test('NodeResourcesFit args are validated when the plugin is built, as upstream', () => {
  assert.throws(() => build(`profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: Packed\n`), {
    message: 'initializing profiles: creating profile for scheduler name default-scheduler: initializing plugin "NodeResourcesFit": scoringStrategy.type: Unsupported value: "Packed": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
  });
});

test('extenders are refused rather than silently ignored', () => {
  assert.throws(() => build(`extenders:\n- urlPrefix: http://127.0.0.1:8888\n  filterVerb: filter\n`), SchedulerConfigError);
});

test('the registry can be swapped (the wiring supplies a DefaultBinder that binds through the API)', async () => {
  const config = defaultSchedulerConfiguration();
  const bound: string[] = [];
  const registry = new Map(inTreeRegistry);
  registry.set('DefaultBinder', () => newDefaultBinder({ bind: async (pod: Pod, node: string) => void bound.push(`${pod.metadata?.name}->${node}`) }));
  const fw = buildFrameworks(config, undefined, { registry }).get('default-scheduler')!;
  const snapshot = Snapshot.from({ nodes: [makeNode('n')] });
  const result = scheduleOne(fw, snapshot, makePod('p'));
  assert.ok('node' in result);
  assert.equal((await fw.runBindPlugins(result.state, makePod('p'), result.node)).code, 'Success');
  assert.deepEqual(bound, ['p->n']);
});

test('leader election durations in milliseconds', () => {
  assert.deepEqual(leaderElectionTimingsMs(defaultSchedulerConfiguration()), { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
});

test('a plugin named only at a point (not in MultiPoint) runs after the MultiPoint plugins there', () => {
  const fw = build(`profiles:
- plugins:
    multiPoint:
      disabled:
      - name: ImageLocality
    score:
      enabled:
      - name: ImageLocality
        weight: 4
`).get('default-scheduler')!;
  assert.equal(fw.score.at(-1)!.plugin.name, 'ImageLocality');
  assert.equal(fw.score.at(-1)!.weight, 4);
});
