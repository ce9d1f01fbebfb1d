import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod } from '../testing.js';
import { Snapshot } from './snapshot.js';

test('Snapshot places bound, non-terminal pods on their nodes and sums their requests', () => {
  const done = { ...makePod('done', { node: 'n1', cpu: '1' }), status: { phase: 'Succeeded' } };
  const snapshot = Snapshot.from({
    nodes: [makeNode('n1'), makeNode('n2')],
    pods: [makePod('a', { node: 'n1', cpu: '500m' }), makePod('b', { node: 'n1' }), done, makePod('pending', { cpu: '1' })],
  });
  const n1 = snapshot.get('n1')!;
  assert.equal(n1.pods.length, 2);
  assert.equal(n1.requested.milliCpu, 500);
  assert.equal(n1.nonZeroRequested.milliCpu, 600);
  assert.equal(snapshot.get('n2')!.pods.length, 0);
});

test('NodeInfo.removePod undoes addPod, including host ports', () => {
  const pod = makePod('a', { node: 'n1', cpu: '1', containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '1' } } }] });
  const snapshot = Snapshot.from({ nodes: [makeNode('n1')], pods: [pod] });
  const copy = snapshot.get('n1')!.clone();
  assert.ok(copy.usedPorts.conflicts({ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }));
  assert.ok(copy.removePod('default/a'));
  assert.equal(copy.requested.milliCpu, 0);
  assert.ok(!copy.usedPorts.conflicts({ ip: '10.0.0.1', protocol: 'TCP', port: 8080 }));
  assert.equal(snapshot.get('n1')!.pods.length, 1, 'the snapshot is untouched');
});

test('image states count how many nodes hold each image', () => {
  const images = [{ names: ['nginx:latest'], sizeBytes: 100 }];
  const snapshot = Snapshot.from({ nodes: [makeNode('n1', { images }), makeNode('n2', { images }), makeNode('n3')] });
  assert.deepEqual(snapshot.get('n1')!.imageStates.get('nginx:latest'), { sizeBytes: 100, numNodes: 2 });
});

test('NodeInfo keeps the name, taints and unschedulable flag of its current Node', () => {
  const taints = [{ key: 'k', effect: 'NoSchedule' }];
  const info = Snapshot.from({ nodes: [makeNode('n1')] }).get('n1')!;
  assert.equal(info.name, 'n1');
  assert.deepEqual([info.unschedulable, info.taints.length], [false, 0]);
  info.setNode(makeNode('n1', { taints, unschedulable: true }));
  assert.deepEqual([info.unschedulable, info.taints], [true, taints]);
  assert.equal(info.clone().taints, taints, 'a clone sees the same Node');
  info.setNode(makeNode('n1'));
  assert.deepEqual([info.unschedulable, info.taints.length, info.labels['kubernetes.io/hostname']], [false, 0, 'n1']);
});
