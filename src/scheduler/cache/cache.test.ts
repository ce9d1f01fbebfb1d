import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod } from '../testing.js';
import { SchedulerCache } from './cache.js';

test('an assumed pod counts on its node until the informer confirms it, then stays as the real pod', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1', { cpu: '4' }));
  const pod = makePod('p', { cpu: '1' });
  cache.assumePod({ ...pod, spec: { ...pod.spec!, nodeName: 'n1' } });
  assert.equal(cache.snapshot.get('n1')!.requested.milliCpu, 1000);
  assert.ok(cache.isAssumed(pod));
  cache.addPod(makePod('p', { cpu: '1', node: 'n1' }));
  assert.ok(!cache.isAssumed(pod));
  assert.equal(cache.snapshot.get('n1')!.pods.length, 1, 'confirmed, not counted twice');
  assert.equal(cache.snapshot.get('n1')!.requested.milliCpu, 1000);
});

test('a pod confirmed on another node than assumed moves there', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  cache.addNode(makeNode('n2'));
  cache.assumePod(makePod('p', { cpu: '1', node: 'n1' }));
  cache.addPod(makePod('p', { cpu: '1', node: 'n2' }));
  assert.equal(cache.snapshot.get('n1')!.pods.length, 0);
  assert.equal(cache.snapshot.get('n2')!.pods.length, 1);
});

test('forgetting an assumed pod frees its room; a confirmed pod cannot be forgotten', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  const assumed = makePod('p', { cpu: '1', node: 'n1' });
  cache.assumePod(assumed);
  cache.forgetPod(assumed);
  assert.equal(cache.snapshot.get('n1')!.requested.milliCpu, 0);
  cache.addPod(assumed);
  cache.forgetPod(assumed);
  assert.equal(cache.snapshot.get('n1')!.pods.length, 1);
  assert.throws(() => cache.assumePod(assumed), /is in the cache, so can't be assumed/);
});

test('assumed pods expire only after binding finished and the TTL passed', () => {
  let now = 0;
  const cache = new SchedulerCache({ nowMs: () => now, assumedPodTtlMs: 1_000 });
  cache.addNode(makeNode('n1'));
  const pod = makePod('p', { cpu: '1', node: 'n1' });
  cache.assumePod(pod);
  now = 5_000;
  assert.deepEqual(cache.cleanupAssumedPods(), [], 'binding still in flight');
  cache.finishBinding(pod);
  now = 6_000;
  assert.deepEqual(cache.cleanupAssumedPods(), []);
  now = 6_001;
  assert.equal(cache.cleanupAssumedPods().length, 1);
  assert.equal(cache.snapshot.get('n1')!.pods.length, 0);
});

test('a node update keeps its pods; pods of an unknown node wait for it', () => {
  const cache = new SchedulerCache();
  cache.addPod(makePod('early', { cpu: '1', node: 'late-node' }));
  assert.equal(cache.nodeCount, 0, 'not schedulable before its Node exists');
  cache.addNode(makeNode('late-node', { cpu: '2' }));
  assert.equal(cache.snapshot.get('late-node')!.requested.milliCpu, 1000);
  cache.updateNode(makeNode('late-node', { cpu: '8' }));
  const info = cache.snapshot.get('late-node')!;
  assert.equal(info.allocatable.milliCpu, 8000);
  assert.equal(info.pods.length, 1);
});

test('removing a node takes it out of the snapshot in O(1) and keeps list and map consistent', () => {
  const cache = new SchedulerCache();
  for (const n of ['a', 'b', 'c', 'd']) cache.addNode(makeNode(n));
  cache.removeNode('b');
  assert.deepEqual(cache.snapshot.nodeInfoList.map((n) => n.name).sort(), ['a', 'c', 'd']);
  assert.equal(cache.snapshot.get('b'), undefined);
  cache.removeNode('d');
  cache.addNode(makeNode('b'));
  assert.deepEqual(cache.snapshot.nodeInfoList.map((n) => n.name).sort(), ['a', 'b', 'c']);
});

test('image spread follows nodes joining and leaving', () => {
  const cache = new SchedulerCache();
  const images = [{ names: ['nginx:latest'], sizeBytes: 100 }];
  cache.addNode(makeNode('n1', { images }));
  const summary = cache.snapshot.get('n1')!.imageStates.get('nginx:latest')!;
  assert.equal(summary.numNodes, 1);
  cache.addNode(makeNode('n2', { images }));
  assert.equal(summary.numNodes, 2);
  cache.removeNode('n2');
  assert.equal(summary.numNodes, 1);
});

test('the pods-with-affinity lists follow pods coming and going', () => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode('n1'));
  assert.equal(cache.snapshot.havePodsWithRequiredAntiAffinity().length, 0);
  const anti = makePod('anti', {
    node: 'n1',
    labels: { app: 'x' },
    spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }] } } },
  });
  cache.addPod(anti);
  assert.equal(cache.snapshot.havePodsWithRequiredAntiAffinity().length, 1);
  cache.removePod(anti);
  assert.equal(cache.snapshot.havePodsWithRequiredAntiAffinity().length, 0);
});
