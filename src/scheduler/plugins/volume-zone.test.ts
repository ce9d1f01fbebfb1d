import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { staticClusterObjects, type StaticObjects } from '../framework/cluster-objects.js';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { makeNode } from '../testing.js';
import { makeClaim, makeStorageClass, makeVolume, podWithClaims } from './volume-binding-fixtures.js';
import { newVolumeZone } from './volume-zone.js';

function run(pod: Pod, node: Node, objects: StaticObjects): { code: string; reasons: readonly string[] } {
  const plugin = newVolumeZone({}, { clusterObjects: staticClusterObjects(objects) });
  const snapshot = Snapshot.from({ nodes: [node] });
  const state = new CycleState(snapshot);
  const pre = plugin.preFilter(state, pod, snapshot.nodeInfoList);
  if (!pre.isSuccess()) return { code: pre.code, reasons: pre.reasons };
  const s = plugin.filter(state, pod, snapshot.get(node.metadata!.name!)!);
  return { code: s.code, reasons: s.reasons };
}

const claim = makeClaim('data', { volumeName: 'pv', bound: true });
const zonedVolume = (zone: string) => makeVolume('pv', { claim, labels: { 'topology.kubernetes.io/zone': zone } });
const zonedNode = (zone: string) => makeNode('n', { labels: { 'topology.kubernetes.io/zone': zone } });

test('a PV in the node\'s zone passes', () => {
  assert.equal(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [claim], persistentVolumes: [zonedVolume('z1')] }).code, 'Success');
});

test('a PV in another zone rejects the node with upstream\'s reason', () => {
  assert.deepEqual(run(podWithClaims('p', ['data']), zonedNode('z2'), { persistentVolumeClaims: [claim], persistentVolumes: [zonedVolume('z1')] }), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['node(s) had no available volume zone'],
  });
});

test('a PV labelled with several zones admits any of them', () => {
  assert.equal(run(podWithClaims('p', ['data']), zonedNode('z2'), { persistentVolumeClaims: [claim], persistentVolumes: [zonedVolume('z1__z2')] }).code, 'Success');
});

test('a beta zone label on the PV matches the GA label on the node', () => {
  const pv = makeVolume('pv', { claim, labels: { 'failure-domain.beta.kubernetes.io/zone': 'z1' } });
  assert.equal(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [claim], persistentVolumes: [pv] }).code, 'Success');
});

test('a node without topology labels accepts any zoned PV (single-zone clusters)', () => {
  assert.equal(run(podWithClaims('p', ['data']), makeNode('n'), { persistentVolumeClaims: [claim], persistentVolumes: [zonedVolume('z1')] }).code, 'Success');
});

test('pods without zoned volumes skip the filter', () => {
  assert.equal(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [claim], persistentVolumes: [makeVolume('pv', { claim })] }).code, 'Skip');
});

test('unbound WaitForFirstConsumer claims are left to VolumeBinding; unbound Immediate ones are rejected', () => {
  const wffc = makeClaim('data', { storageClassName: 'local' });
  assert.equal(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [wffc], storageClasses: [makeStorageClass('local', 'WaitForFirstConsumer')] }).code, 'Skip');
  assert.deepEqual(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [wffc], storageClasses: [makeStorageClass('local', 'Immediate')] }), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['PersistentVolume had no name'],
  });
});

test('missing objects are reported with the API\'s not-found messages', () => {
  assert.deepEqual(run(podWithClaims('p', ['data']), zonedNode('z1'), {}).reasons, ['persistentvolumeclaim "data" not found']);
  assert.deepEqual(run(podWithClaims('p', ['data']), zonedNode('z1'), { persistentVolumeClaims: [claim] }).reasons, ['persistentvolume "pv" not found']);
});
