// Table-driven checks of each filter plugin through the default profile, so the first
// rejecting plugin and its upstream reason are asserted together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultFramework } from '../registry.js';
import { makeNode, makePod } from '../testing.js';

function filter(pod: Pod, node: Node, existing: Pod[] = []): { code: string; plugin: string; reasons: readonly string[] } {
  const fw = newDefaultFramework();
  const snapshot = Snapshot.from({ nodes: [node], pods: existing });
  const state = new CycleState(snapshot);
  const pre = fw.runPreFilterPlugins(state, pod);
  if (!pre.isSuccess()) return { code: pre.code, plugin: pre.plugin, reasons: pre.reasons };
  const s = fw.runFilterPlugins(state, pod, snapshot.get(node.metadata!.name!)!);
  return { code: s.code, plugin: s.plugin, reasons: s.reasons };
}

const hostPortPod = (name: string, node?: string, hostIP?: string): Pod =>
  makePod(name, { node, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, hostIP }] }] });
const volumePod = (name: string, node?: string, readOnly = false): Pod =>
  makePod(name, { node, spec: { volumes: [{ name: 'd', gcePersistentDisk: { pdName: 'disk-1', readOnly } }] } });

const cases: { name: string; pod: Pod; node: Node; existing?: Pod[]; want: { code: string; plugin?: string; reasons?: string[] } }[] = [
  { name: 'a plain pod fits an empty node', pod: makePod('p', { cpu: '1' }), node: makeNode('n'), want: { code: 'Success' } },
  {
    name: 'NodeUnschedulable rejects a cordoned node',
    pod: makePod('p'),
    node: makeNode('n', { unschedulable: true }),
    want: { code: 'UnschedulableAndUnresolvable', plugin: 'NodeUnschedulable', reasons: ['node(s) were unschedulable'] },
  },
  {
    name: 'NodeUnschedulable lets a pod tolerating the unschedulable taint in',
    pod: makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } }),
    node: makeNode('n', { unschedulable: true }),
    want: { code: 'Success' },
  },
  {
    name: 'NodeName rejects other nodes',
    pod: makePod('p', { node: 'other' }),
    node: makeNode('n'),
    want: { code: 'UnschedulableAndUnresolvable', plugin: 'NodeName', reasons: ["node(s) didn't match the requested node name"] },
  },
  {
    name: 'TaintToleration rejects an untolerated NoSchedule taint with {key: value}',
    pod: makePod('p'),
    node: makeNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    want: { code: 'UnschedulableAndUnresolvable', plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] },
  },
  {
    name: 'TaintToleration ignores PreferNoSchedule and accepts a matching toleration',
    pod: makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] } }),
    node: makeNode('n', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, { key: 'x', effect: 'PreferNoSchedule' }] }),
    want: { code: 'Success' },
  },
  {
    name: 'NodeAffinity rejects a nodeSelector mismatch',
    pod: makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }),
    node: makeNode('n', { labels: { disk: 'hdd' } }),
    want: { code: 'UnschedulableAndUnresolvable', plugin: 'NodeAffinity', reasons: ["node(s) didn't match Pod's node affinity/selector"] },
  },
  {
    name: 'NodeAffinity accepts a node matching one of the required terms (Gt)',
    pod: makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }],
            },
          },
        },
      },
    }),
    node: makeNode('n', { labels: { zone: 'b', cores: '16' } }),
    want: { code: 'Success' },
  },
  {
    name: 'NodePorts rejects a host port already in use on any IP',
    pod: hostPortPod('p', undefined, '10.0.0.1'),
    node: makeNode('n'),
    existing: [hostPortPod('e', 'n')],
    want: { code: 'Unschedulable', plugin: 'NodePorts', reasons: ["node(s) didn't have free ports for the requested pod ports"] },
  },
  {
    name: 'NodeResourcesFit lists every insufficient resource',
    pod: makePod('p', { cpu: '3', memory: '7Gi' }),
    node: makeNode('n'),
    existing: [makePod('e', { node: 'n', cpu: '2', memory: '2Gi' })],
    want: { code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu', 'Insufficient memory'] },
  },
  {
    name: 'NodeResourcesFit rejects when the pod count is at allocatable pods',
    pod: makePod('p'),
    node: makeNode('n', { pods: '1' }),
    existing: [makePod('e', { node: 'n' })],
    want: { code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons: ['Too many pods'] },
  },
  {
    name: 'NodeResourcesFit checks extended resources',
    pod: makePod('p', { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '2' } } }] }),
    node: makeNode('n', { extra: { 'nvidia.com/gpu': '1' } }),
    want: { code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons: ['Insufficient nvidia.com/gpu'] },
  },
  {
    name: 'VolumeRestrictions rejects the same GCE PD mounted read-write twice',
    pod: volumePod('p'),
    node: makeNode('n'),
    existing: [volumePod('e', 'n')],
    want: { code: 'Unschedulable', plugin: 'VolumeRestrictions', reasons: ['node(s) had no available disk'] },
  },
  {
    name: 'VolumeRestrictions allows the same GCE PD read-only twice',
    pod: volumePod('p', undefined, true),
    node: makeNode('n'),
    existing: [volumePod('e', 'n', true)],
    want: { code: 'Success' },
  },
];

for (const c of cases) {
  test(`filter: ${c.name}`, () => {
    const got = filter(c.pod, c.node, c.existing);
    assert.equal(got.code, c.want.code);
    if (c.want.plugin) assert.equal(got.plugin, c.want.plugin);
    if (c.want.reasons) assert.deepEqual(got.reasons, c.want.reasons);
  });
}
