import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSimNodesOptions } from './options.js';
import { buildNode, healthyConditions, nodeAddress } from './node-template.js';

const now = Date.parse('2026-01-01T00:00:00Z');

test('a registered node is Ready with the kubelet\'s reasons and messages', () => {
  const node = buildNode('sim-node-0', '10.244.0.0/24', defaultSimNodesOptions, now);
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  assert.deepEqual(ready, { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' });
  assert.deepEqual(
    node.status?.conditions?.map((c) => [c.type, c.status, c.reason]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ],
  );
});

test('a node carries capacity, podCIDR, addresses, version and the simulated-node labels', () => {
  const node = buildNode('n1', '10.244.7.0/24', { ...defaultSimNodesOptions, labels: { zone: 'a' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }, now);
  assert.deepEqual(node.status?.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' });
  assert.deepEqual(node.status?.allocatable, node.status?.capacity);
  assert.equal(node.spec?.podCIDR, '10.244.7.0/24');
  assert.deepEqual(node.spec?.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
  assert.deepEqual(node.status?.addresses, [
    { type: 'InternalIP', address: '10.244.7.1' },
    { type: 'Hostname', address: 'n1' },
  ]);
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
  const labels = node.metadata?.labels ?? {};
  assert.equal(labels['kubernetes.io/hostname'], 'n1');
  assert.equal(labels['kubernetes.io/os'], 'linux');
  assert.equal(labels['kubernetes.io/arch'], 'amd64');
  assert.equal(labels['node.k8ts.io/simulated'], 'true');
  assert.equal(labels['node-role.kubernetes.io/agent'], '');
  assert.equal(labels.zone, 'a');
});

test('a heartbeat moves lastHeartbeatTime but keeps lastTransitionTime while the status holds', () => {
  const first = healthyConditions(now);
  const later = healthyConditions(now + 60_000, first);
  const ready = later.find((c) => c.type === 'Ready')!;
  assert.equal(ready.lastHeartbeatTime, '2026-01-01T00:01:00Z');
  assert.equal(ready.lastTransitionTime, '2026-01-01T00:00:00Z');
  const afterUnknown = healthyConditions(now + 120_000, [{ ...ready, status: 'Unknown' }]);
  assert.equal(afterUnknown.find((c) => c.type === 'Ready')!.lastTransitionTime, '2026-01-01T00:02:00Z');
});

test('the node address is the first address of its pod CIDR', () => {
  assert.equal(nodeAddress('10.128.19.0/24'), '10.128.19.1');
});
