import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultSchedulerConfiguration, loadSchedulerConfiguration, parseSchedulerConfiguration, SchedulerConfigError } from './index.js';

const header = 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n';

const fails = (text: string, message: string): void => {
  assert.throws(() => parseSchedulerConfiguration(text), (err: unknown) => {
    assert.ok(err instanceof SchedulerConfigError, String(err));
    assert.equal(err.message, message);
    return true;
  });
};

test('an empty configuration gets upstream\'s defaults', () => {
  const config = parseSchedulerConfiguration(header);
  assert.deepEqual(config, defaultSchedulerConfiguration());
  assert.equal(config.parallelism, 16);
  assert.equal(config.percentageOfNodesToScore, 0);
  assert.equal(config.podInitialBackoffSeconds, 1);
  assert.equal(config.podMaxBackoffSeconds, 10);
  assert.deepEqual(config.leaderElection, {
    leaderElect: true, leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s',
    resourceLock: 'leases', resourceName: 'kube-scheduler', resourceNamespace: 'kube-system',
  });
  assert.deepEqual(config.clientConnection, { kubeconfig: '', acceptContentTypes: '', contentType: 'application/vnd.kubernetes.protobuf', qps: 50, burst: 100 });
  assert.equal(config.profiles.length, 1);
  assert.equal(config.profiles[0]!.schedulerName, 'default-scheduler');
});

test('the default profile lists the v1.32 MultiPoint plugins and the in-tree plugins\' default args, sorted by name', () => {
  const [profile] = defaultSchedulerConfiguration().profiles;
  assert.deepEqual(profile!.plugins.multiPoint?.enabled?.map((p) => (p.weight ? `${p.name}:${p.weight}` : p.name)), [
    'SchedulingGates', 'PrioritySort', 'NodeUnschedulable', 'NodeName', 'TaintToleration:3', 'NodeAffinity:2', 'NodePorts',
    'NodeResourcesFit:1', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread:2',
    'InterPodAffinity:2', 'DefaultPreemption', 'NodeResourcesBalancedAllocation:1', 'ImageLocality:1', 'DefaultBinder',
  ]);
  const kind = 'kubescheduler.config.k8s.io/v1';
  assert.deepEqual(profile!.pluginConfig, [
    { name: 'DefaultPreemption', args: { apiVersion: kind, kind: 'DefaultPreemptionArgs', minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 } },
    { name: 'InterPodAffinity', args: { apiVersion: kind, kind: 'InterPodAffinityArgs', hardPodAffinityWeight: 1 } },
    { name: 'NodeAffinity', args: { apiVersion: kind, kind: 'NodeAffinityArgs' } },
    { name: 'NodeResourcesBalancedAllocation', args: { apiVersion: kind, kind: 'NodeResourcesBalancedAllocationArgs', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } },
    {
      name: 'NodeResourcesFit',
      args: { apiVersion: kind, kind: 'NodeResourcesFitArgs', scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } },
    },
    { name: 'PodTopologySpread', args: { apiVersion: kind, kind: 'PodTopologySpreadArgs', defaultingType: 'System' } },
    { name: 'VolumeBinding', args: { apiVersion: kind, kind: 'VolumeBindingArgs', bindTimeoutSeconds: 600 } },
  ]);
});

test('given args are defaulted in place and keep their position', () => {
  const config = parseSchedulerConfiguration(`${header}profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources:
        - name: cpu
          weight: 3
        - name: nvidia.com/gpu
`);
  const [profile] = config.profiles;
  assert.equal(profile!.schedulerName, 'default-scheduler');
  assert.deepEqual(profile!.pluginConfig[0], {
    name: 'NodeResourcesFit',
    args: {
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'NodeResourcesFitArgs',
      scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 3 }, { name: 'nvidia.com/gpu', weight: 1 }] },
    },
  });
  assert.equal(profile!.pluginConfig.filter((pc) => pc.name === 'NodeResourcesFit').length, 1);
});

test('JSON works as well as YAML', () => {
  const config = parseSchedulerConfiguration(JSON.stringify({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    percentageOfNodesToScore: 30,
    podMaxBackoffSeconds: 20,
    leaderElection: { leaderElect: false },
  }));
  assert.equal(config.percentageOfNodesToScore, 30);
  assert.equal(config.podMaxBackoffSeconds, 20);
  assert.equal(config.leaderElection.leaderElect, false);
});

test('unknown apiVersion or kind, and missing ones, fail as the decoder says', () => {
  fails('apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n',
    'no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta3" in scheme "k8s.io/kubernetes/pkg/scheduler/apis/config/scheme/scheme.go:30"');
  fails('apiVersion: kubescheduler.config.k8s.io/v1\nkind: Policy\n',
    'no kind "Policy" is registered for version "kubescheduler.config.k8s.io/v1" in scheme "k8s.io/kubernetes/pkg/scheduler/apis/config/scheme/scheme.go:30"');
  fails('apiVersion: kubescheduler.config.k8s.io/v1\n', `Object 'Kind' is missing in '{"apiVersion":"kubescheduler.config.k8s.io/v1"}'`);
  fails('kind: KubeSchedulerConfiguration\n', `Object 'apiVersion' is missing in '{"kind":"KubeSchedulerConfiguration"}'`);
});

test('unknown fields are strict decoding errors, also inside plugin args', () => {
  fails(`${header}percentageOfNodes: 50\nprofiles:\n- schedulerName: x\n  plugin: {}\n`,
    'strict decoding error: unknown field "percentageOfNodes", unknown field "profiles[0].plugin"');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: VolumeBinding\n    args:\n      bindTimeout: 5\n`,
    'strict decoding error: decoding .profiles[0].pluginConfig[0]: strict decoding error: decoding args for plugin VolumeBinding: strict decoding error: unknown field "bindTimeout"');
});

test('values of the wrong type fail as encoding/json says', () => {
  fails(`${header}parallelism: lots\n`, 'json: cannot unmarshal string into Go struct field KubeSchedulerConfiguration.parallelism of type int32');
  fails(`${header}profiles:\n- schedulerName: 5\n`, 'json: cannot unmarshal number into Go struct field KubeSchedulerProfile.profiles.schedulerName of type string');
  fails(`${header}leaderElection:\n  leaseDuration: "15"\n`, 'time: invalid duration "15"');
});

test('args of another kind are refused', () => {
  fails(`${header}profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      kind: VolumeBindingArgs\n      apiVersion: kubescheduler.config.k8s.io/v1\n`,
    'decoding .profiles[0].pluginConfig[0]: args for plugin NodeResourcesFit were not of type NodeResourcesFitArgs.kubescheduler.config.k8s.io, got VolumeBindingArgs.kubescheduler.config.k8s.io');
});

test('validation: percentages, backoffs, parallelism', () => {
  fails(`${header}percentageOfNodesToScore: 101\n`, 'percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]');
  fails(`${header}profiles:\n- schedulerName: a\n  percentageOfNodesToScore: -1\n`, 'profiles[0].percentageOfNodesToScore: Invalid value: -1: not in valid range [0-100]');
  fails(`${header}podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n`, 'podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds');
  fails(`${header}parallelism: 0\npodInitialBackoffSeconds: 0\n`,
    '[parallelism: Invalid value: 0: should be an integer value greater than zero, podInitialBackoffSeconds: Invalid value: 0: must be greater than 0]');
});

test('validation: profile names must be present and unique', () => {
  fails(`${header}profiles:\n- schedulerName: a\n- schedulerName: a\n`, 'profiles[1].schedulerName: Duplicate value: profiles[0].schedulerName');
  fails(`${header}profiles:\n- schedulerName: a\n- {}\n`, 'profiles[1].schedulerName: Required value');
});

test('validation: plugin args as upstream\'s validators', () => {
  fails(`${header}profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n    args:\n      minCandidateNodesPercentage: 0\n      minCandidateNodesAbsolute: 0\n`,
    '[profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute, profiles[0].pluginConfig[0].args.minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage]');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args:\n      hardPodAffinityWeight: 101\n`,
    'profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: VolumeBinding\n    args:\n      bindTimeoutSeconds: -1\n`,
    'profiles[0].pluginConfig[0].args.bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args:\n      defaultConstraints:\n      - maxSkew: 1\n        topologyKey: zone\n        whenUnsatisfiable: ScheduleAnyway\n`,
    'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: NodeResourcesBalancedAllocation\n    args:\n      resources:\n      - name: cpu\n        weight: 2\n`,
    'profiles[0].pluginConfig[0].args.resources[0].weight: Invalid value: 2: must be 1');
  fails(`${header}profiles:\n- pluginConfig:\n  - name: VolumeBinding\n  - name: VolumeBinding\n`,
    'profiles[0].pluginConfig[1]: Duplicate value: "VolumeBinding"');
});

test('validation: every profile sorts the queue the same way', () => {
  fails(`${header}profiles:\n- schedulerName: a\n- schedulerName: b\n  plugins:\n    queueSort:\n      enabled:\n      - name: Other\n`,
    'profiles[1].plugins.queueSort: Invalid value: {"enabled":[{"name":"Other"}]}: must be the same for all profiles');
});

test('a YAML syntax error is reported as the YAML-to-JSON conversion failing', () => {
  assert.throws(() => parseSchedulerConfiguration(`${header}profiles: [\n`), /^SchedulerConfigError: error converting YAML to JSON: yaml: /);
});

test('loadSchedulerConfiguration reads a file, and says when it is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedcfg-'));
  try {
    const path = join(dir, 'config.yaml');
    writeFileSync(path, `${header}profiles:\n- schedulerName: mine\n`);
    assert.equal(loadSchedulerConfiguration(path).profiles[0]!.schedulerName, 'mine');
    assert.throws(() => loadSchedulerConfiguration(join(dir, 'nope.yaml')), { message: `open ${join(dir, 'nope.yaml')}: no such file or directory` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
