import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { staticClusterObjects, type StaticObjects } from '../framework/cluster-objects.js';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultFramework } from '../registry.js';
import { scheduleOne } from '../schedule-one.js';
import { makeNode, makePod } from '../testing.js';
import { csiAttachLimitKey, newNodeVolumeLimits } from './node-volume-limits.js';
import { makeClaim, makeCSINode, makeStorageClass, makeVolume, podWithClaims } from './volume-binding-fixtures.js';

const DRIVER = 'ebs.csi.example.com';
const claims = ['c1', 'c2', 'c3'].map((name) => makeClaim(name, { volumeName: `pv-${name}`, bound: true }));
const volumes = claims.map((c) => makeVolume(`pv-${c.metadata!.name}`, { claim: c, csi: { driver: DRIVER, volumeHandle: `vol-${c.metadata!.name}` } }));
const base: StaticObjects = { persistentVolumeClaims: claims, persistentVolumes: volumes, csiNodes: [makeCSINode('n', { [DRIVER]: 2 })] };

function filter(pod: Pod, existing: Pod[], objects: StaticObjects = base, extra?: Record<string, string>): { code: string; reasons: readonly string[] } {
  const plugin = newNodeVolumeLimits({}, { clusterObjects: staticClusterObjects(objects) });
  const snapshot = Snapshot.from({ nodes: [makeNode('n', { extra })], pods: existing });
  const state = new CycleState(snapshot);
  const pre = plugin.preFilter(state, pod, snapshot.nodeInfoList);
  if (!pre.isSuccess()) return { code: pre.code, reasons: pre.reasons };
  const s = plugin.filter(state, pod, snapshot.get('n')!);
  return { code: s.code, reasons: s.reasons };
}

test('volumes within the CSINode allocatable count fit', () => {
  assert.equal(filter(podWithClaims('p', ['c2']), [podWithClaims('old', ['c1'], 'n')]).code, 'Success');
});

test('one volume more than the driver can attach is refused with upstream\'s reason', () => {
  assert.deepEqual(filter(podWithClaims('p', ['c3']), [podWithClaims('old', ['c1', 'c2'], 'n')]), {
    code: 'Unschedulable',
    reasons: ['node(s) exceed max volume count'],
  });
});

test('a volume already attached for another pod is not counted again', () => {
  assert.equal(filter(podWithClaims('p', ['c1']), [podWithClaims('old', ['c1', 'c2'], 'n')]).code, 'Success');
});

test('the node\'s attachable-volumes-csi-* allocatable limits when there is no CSINode', () => {
  const noCsiNode = { ...base, csiNodes: [] };
  assert.equal(filter(podWithClaims('p', ['c2']), [podWithClaims('old', ['c1'], 'n')], noCsiNode, { [csiAttachLimitKey(DRIVER)]: '1' }).code, 'Unschedulable');
  assert.equal(filter(podWithClaims('p', ['c2']), [podWithClaims('old', ['c1'], 'n')], noCsiNode).code, 'Success');
});

test('an unbound claim counts against its class\'s provisioner', () => {
  const pending = makeClaim('new', { storageClassName: 'fast' });
  const objects = { ...base, persistentVolumeClaims: [...claims, pending], storageClasses: [makeStorageClass('fast', 'WaitForFirstConsumer', DRIVER)] };
  assert.equal(filter(podWithClaims('p', ['new']), [podWithClaims('old', ['c1', 'c2'], 'n')], objects).code, 'Unschedulable');
});

test('a missing claim of the new pod is unresolvable; pods without claims skip the plugin', () => {
  assert.deepEqual(filter(podWithClaims('p', ['nope']), []), {
    code: 'UnschedulableAndUnresolvable',
    reasons: ['looking up PVC default/nope: persistentvolumeclaim "nope" not found'],
  });
  assert.equal(filter(makePod('p'), []).code, 'Skip');
});

test('long driver names get upstream\'s hashed limit key', () => {
  assert.equal(csiAttachLimitKey('short.example.com'), 'attachable-volumes-csi-short.example.com');
  const key = csiAttachLimitKey('a-very-long-csi-driver-name.storage.example.com');
  assert.equal(key.length, 'attachable-volumes-csi-'.length + 23 + 16);
  assert.ok(key.startsWith('attachable-volumes-csi-a-very-long-csi-drive'));
});

test('through the default profile a full node is reported in the FailedScheduling message', () => {
  const fw = newDefaultFramework({}, { clusterObjects: staticClusterObjects(base) });
  const snapshot = Snapshot.from({ nodes: [makeNode('n')], pods: [podWithClaims('old', ['c1', 'c2'], 'n')] });
  const result = scheduleOne(fw, snapshot, podWithClaims('p', ['c3']));
  assert.ok('unschedulable' in result);
  assert.match(result.unschedulable.message, /^0\/1 nodes are available: 1 node\(s\) exceed max volume count\./);
});
