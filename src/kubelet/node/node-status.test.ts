import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNode, nodeConditions, type NodeFacts } from './node-status.js';

const facts: NodeFacts = {
  name: 'n1',
  hostIP: '192.168.0.2',
  podCidr: '10.244.0.0/24',
  controlPlane: true,
  resources: { capacity: { cpu: '2', pods: '110' }, allocatable: { cpu: '2', pods: '110' } },
  info: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'runc://1.1.5', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
  images: [{ id: 'sha256:1', repoTags: ['docker.io/library/busybox:latest'], repoDigests: ['docker.io/library/busybox@sha256:2'], size: 1000 }],
};

test('the node carries upstream labels, its pod CIDR, addresses and images', () => {
  const node = buildNode(facts, 0);
  assert.equal(node.metadata?.labels?.['node-role.kubernetes.io/control-plane'], '');
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'n1');
  assert.equal(node.spec?.podCIDR, '10.244.0.0/24');
  assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: '192.168.0.2' }, { type: 'Hostname', address: 'n1' }]);
  assert.deepEqual(node.status?.images, [{ names: ['docker.io/library/busybox@sha256:2', 'docker.io/library/busybox:latest'], sizeBytes: 1000 }]);
});

test('conditions keep their transition time while unchanged', () => {
  const first = nodeConditions(1_000_000);
  const later = nodeConditions(2_000_000, first);
  assert.equal(later.find((c) => c.type === 'Ready')?.lastTransitionTime, first.find((c) => c.type === 'Ready')?.lastTransitionTime);
  assert.equal(later.find((c) => c.type === 'Ready')?.reason, 'KubeletReady');
});

test('pressure from the eviction manager turns its condition True with upstream’s reason; Ready stays True', () => {
  const conditions = nodeConditions(1_000_000, [], ['MemoryPressure', 'DiskPressure']);
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
      ['DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
});
