import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { staticClusterObjects, type StaticObjects } from '../framework/cluster-objects.js';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { newDefaultFramework } from '../registry.js';
import { scheduleOne, type Unschedulable } from '../schedule-one.js';
import { makeNode, makePod } from '../testing.js';
import { makeClaim, makeStorageClass, makeVolume, podWithClaims } from './volume-binding-fixtures.js';
import { findMatchingVolume } from './volume-binding-match.js';
import { newVolumeBinding } from './volume-binding.js';

const nodes = [makeNode('node-a', { labels: { disk: 'a' } }), makeNode('node-b', { labels: { disk: 'b' } })];
const localClass = makeStorageClass('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner');
const csiClass = makeStorageClass('csi', 'WaitForFirstConsumer', 'example.com/csi');
const immediateClass = makeStorageClass('standard', 'Immediate');

function schedule(pod: Pod, objects: StaticObjects): ReturnType<typeof scheduleOne> {
  const fw = newDefaultFramework({}, { clusterObjects: staticClusterObjects(objects) });
  return scheduleOne(fw, Snapshot.from({ nodes }), pod, { random: () => 0 });
}

const message = (r: ReturnType<typeof scheduleOne>): string => {
  assert.ok('unschedulable' in r, `expected unschedulable, got ${JSON.stringify('error' in r ? r.error : r)}`);
  return (r as Unschedulable).unschedulable.message;
};

test('a pod without claims schedules with no storage objects at all', () => {
  const r = newDefaultFramework();
  const result = scheduleOne(r, Snapshot.from({ nodes }), makePod('p'), { random: () => 0 });
  assert.ok('node' in result);
});

test('a missing claim rejects the pod on every node with upstream\'s not-found message', () => {
  assert.equal(
    message(schedule(podWithClaims('p', ['data']), {})),
    '0/2 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
});

test('an unbound Immediate claim waits for the PV controller', () => {
  const claim = makeClaim('data', { storageClassName: 'standard' });
  assert.equal(
    message(schedule(podWithClaims('p', ['data']), { persistentVolumeClaims: [claim], storageClasses: [immediateClass] })),
    '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
});

test('a claim naming its volume but not yet acknowledged by the PV controller is treated as unbound immediate', () => {
  const claim = makeClaim('data', { storageClassName: 'local', volumeName: 'pv-1' });
  const r = schedule(podWithClaims('p', ['data']), { persistentVolumeClaims: [claim], storageClasses: [localClass] });
  assert.match(message(r), /pod has unbound immediate PersistentVolumeClaims/);
});

test('a bound PV pins the pod to the nodes its node affinity admits', () => {
  const claim = makeClaim('data', { volumeName: 'pv-a', bound: true });
  const pv = makeVolume('pv-a', { claim, nodeAffinity: { key: 'disk', values: ['a'] } });
  const objects = { persistentVolumeClaims: [claim], persistentVolumes: [pv] };
  const result = schedule(podWithClaims('p', ['data']), objects);
  assert.ok('node' in result && result.node === 'node-a');

  const pinnedElsewhere = makeVolume('pv-a', { claim, nodeAffinity: { key: 'disk', values: ['c'] } });
  assert.equal(
    message(schedule(podWithClaims('p', ['data']), { ...objects, persistentVolumes: [pinnedElsewhere] })),
    '0/2 nodes are available: 2 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
});

test('a claim bound to a PV that does not exist is reported per node', () => {
  const claim = makeClaim('data', { volumeName: 'gone', bound: true });
  const plugin = newVolumeBinding({}, { clusterObjects: staticClusterObjects({ persistentVolumeClaims: [claim] }) });
  const snapshot = Snapshot.from({ nodes });
  const state = new CycleState(snapshot);
  const pod = podWithClaims('p', ['data']);
  assert.equal(plugin.preFilter(state, pod, snapshot.nodeInfoList).code, 'Success');
  const s = plugin.filter(state, pod, snapshot.get('node-a')!);
  assert.deepEqual([s.code, ...s.reasons], ['UnschedulableAndUnresolvable', 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)']);
  // Through the default profile VolumeZone's PreFilter, which looks the PV up too, speaks first.
  assert.match(message(schedule(pod, { persistentVolumeClaims: [claim] })), /^0\/2 nodes are available: persistentvolume "gone" not found\./);
});

test('a WaitForFirstConsumer claim only fits nodes with an available matching PV when its class cannot provision', () => {
  const claim = makeClaim('data', { storageClassName: 'local', storage: '5Gi' });
  const onA = makeVolume('local-a', { storageClassName: 'local', storage: '10Gi', nodeAffinity: { key: 'disk', values: ['a'] } });
  const tooSmallOnB = makeVolume('local-b', { storageClassName: 'local', storage: '1Gi', nodeAffinity: { key: 'disk', values: ['b'] } });
  const objects = { persistentVolumeClaims: [claim], persistentVolumes: [onA, tooSmallOnB], storageClasses: [localClass] };
  const result = schedule(podWithClaims('p', ['data']), objects);
  assert.ok('node' in result && result.node === 'node-a', JSON.stringify(result));

  assert.equal(
    message(schedule(podWithClaims('p', ['data']), { ...objects, persistentVolumes: [tooSmallOnB] })),
    "0/2 nodes are available: 2 node(s) didn't find available persistent volumes to bind. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
});

test('a WaitForFirstConsumer claim whose class provisions fits wherever allowedTopologies allow', () => {
  const claim = makeClaim('data', { storageClassName: 'csi' });
  const zoned = { ...csiClass, allowedTopologies: [{ matchLabelExpressions: [{ key: 'disk', values: ['b'] }] }] };
  const result = schedule(podWithClaims('p', ['data']), { persistentVolumeClaims: [claim], storageClasses: [zoned] });
  assert.ok('node' in result && result.node === 'node-b', JSON.stringify(result));
});

test('storage capacity is checked for drivers that publish it', () => {
  const claim = makeClaim('data', { storageClassName: 'csi', storage: '10Gi' });
  const driver = { metadata: { name: 'example.com/csi' }, spec: { storageCapacity: true } };
  const capacity = { metadata: { name: 'cap-a' }, storageClassName: 'csi', capacity: '100Gi', nodeTopology: { matchLabels: { disk: 'a' } } };
  const result = schedule(podWithClaims('p', ['data']), { persistentVolumeClaims: [claim], storageClasses: [csiClass], csiDrivers: [driver], csiStorageCapacities: [capacity] });
  assert.ok('unschedulable' in result === false && 'node' in result && result.node === 'node-a', JSON.stringify(result));
  const full = { ...capacity, capacity: '1Gi' };
  assert.match(
    message(schedule(podWithClaims('p', ['data']), { persistentVolumeClaims: [claim], storageClasses: [csiClass], csiDrivers: [driver], csiStorageCapacities: [full] })),
    /2 node\(s\) did not have enough free storage/,
  );
});

test('the smallest PV that fits is chosen, and a PV is not chosen twice for one pod', () => {
  const node = makeNode('n');
  const big = makeVolume('big', { storageClassName: 'local', storage: '100Gi' });
  const small = makeVolume('small', { storageClassName: 'local', storage: '5Gi' });
  const claim = makeClaim('c', { storageClassName: 'local', storage: '2Gi' });
  assert.equal(findMatchingVolume(claim, [big, small], node, new Set())?.metadata?.name, 'small');
  assert.equal(findMatchingVolume(claim, [big, small], node, new Set(['small']))?.metadata?.name, 'big');
  assert.equal(findMatchingVolume(makeClaim('c', { storageClassName: 'local', accessModes: ['ReadWriteMany'] }), [big, small], node, new Set()), undefined);
});

/** Runs the cycle by hand on node-a: PreFilter, Filter, Reserve. */
function reserveOnNodeA(plugin: ReturnType<typeof newVolumeBinding>, pod: Pod): CycleState {
  const snapshot = Snapshot.from({ nodes });
  const state = new CycleState(snapshot);
  assert.equal(plugin.preFilter(state, pod, snapshot.nodeInfoList).code, 'Success');
  assert.equal(plugin.filter(state, pod, snapshot.get('node-a')!).code, 'Success');
  assert.equal(plugin.reserve(state, pod, 'node-a').code, 'Success');
  return state;
}

/** What the PV controller does once the scheduler set the PV's claimRef. */
async function completeBinding(objects: ReturnType<typeof staticClusterObjects>, claim: PersistentVolumeClaim, pvName: string): Promise<void> {
  const current = objects.persistentVolumeClaim('default', claim.metadata!.name!)!;
  await objects.updatePersistentVolumeClaim({
    ...current,
    metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, 'pv.kubernetes.io/bind-completed': 'yes' } },
    spec: { ...current.spec, volumeName: pvName },
  });
}

test('Reserve keeps a chosen PV from the next pod; PreBind writes its claimRef and waits for the binding', async () => {
  const claim = makeClaim('data', { storageClassName: 'local' });
  const other = makeClaim('other', { storageClassName: 'local' });
  const pv = makeVolume('local-a', { storageClassName: 'local', nodeAffinity: { key: 'disk', values: ['a'] } });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim, other], persistentVolumes: [pv], storageClasses: [localClass] });
  const plugin = newVolumeBinding({ pollIntervalMs: 1 }, { clusterObjects: objects });
  const state = reserveOnNodeA(plugin, podWithClaims('p', ['data']));

  // The PV is assumed for p: q finds nothing on node-a.
  const snapshot = Snapshot.from({ nodes });
  const q = podWithClaims('q', ['other']);
  const qState = new CycleState(snapshot);
  plugin.preFilter(qState, q, snapshot.nodeInfoList);
  assert.deepEqual(plugin.filter(qState, q, snapshot.get('node-a')!).reasons, ["node(s) didn't find available persistent volumes to bind"]);

  const bound = plugin.preBind(state, podWithClaims('p', ['data']), 'node-a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const written = objects.persistentVolume('local-a')!;
  assert.deepEqual(
    { name: written.spec?.claimRef?.name, namespace: written.spec?.claimRef?.namespace, uid: written.spec?.claimRef?.uid },
    { name: 'data', namespace: 'default', uid: 'uid-pvc-data' },
  );
  assert.equal(written.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  await completeBinding(objects, claim, 'local-a');
  assert.equal((await bound).code, 'Success');
});

test('Unreserve releases the assumed PV for other pods', () => {
  const claim = makeClaim('data', { storageClassName: 'local' });
  const other = makeClaim('other', { storageClassName: 'local' });
  const pv = makeVolume('local-a', { storageClassName: 'local' });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim, other], persistentVolumes: [pv], storageClasses: [localClass] });
  const plugin = newVolumeBinding({}, { clusterObjects: objects });
  const state = reserveOnNodeA(plugin, podWithClaims('p', ['data']));
  plugin.unreserve(state, podWithClaims('p', ['data']), 'node-a');
  reserveOnNodeA(plugin, podWithClaims('q', ['other']));
});

test('dynamic provisioning: PreBind annotates the claim with the selected node', async () => {
  const claim = makeClaim('data', { storageClassName: 'csi' });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim], storageClasses: [csiClass] });
  const plugin = newVolumeBinding({ pollIntervalMs: 1 }, { clusterObjects: objects });
  const state = reserveOnNodeA(plugin, podWithClaims('p', ['data']));
  const bound = plugin.preBind(state, podWithClaims('p', ['data']), 'node-a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(objects.persistentVolumeClaim('default', 'data')?.metadata?.annotations?.['volume.kubernetes.io/selected-node'], 'node-a');
  await objects.updatePersistentVolume(makeVolume('pvc-123', { storageClassName: 'csi', claim }));
  await completeBinding(objects, claim, 'pvc-123');
  assert.equal((await bound).code, 'Success');
});

test('PreBind gives up after bindTimeoutSeconds when nothing completes the binding', async () => {
  const claim = makeClaim('data', { storageClassName: 'csi' });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim], storageClasses: [csiClass] });
  const plugin = newVolumeBinding({ bindTimeoutSeconds: 0.01, pollIntervalMs: 2 }, { clusterObjects: objects });
  const state = reserveOnNodeA(plugin, podWithClaims('p', ['data']));
  const s = await plugin.preBind(state, podWithClaims('p', ['data']), 'node-a');
  assert.equal(s.code, 'Error');
  assert.equal(s.message(), 'binding volumes: context deadline exceeded');
});

test('a provisioner that drops the selected-node annotation fails the binding', async () => {
  const claim = makeClaim('data', { storageClassName: 'csi' });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim], storageClasses: [csiClass] });
  const plugin = newVolumeBinding({ pollIntervalMs: 1 }, { clusterObjects: objects });
  const state = reserveOnNodeA(plugin, podWithClaims('p', ['data']));
  const bound = plugin.preBind(state, podWithClaims('p', ['data']), 'node-a');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const current = objects.persistentVolumeClaim('default', 'data')!;
  await objects.updatePersistentVolumeClaim({ ...current, metadata: { ...current.metadata, annotations: {} } });
  assert.equal((await bound).message(), 'binding volumes: provisioning failed for PVC "data"');
});

test('the framework runs PreBind plugins and reports a failure as upstream', async () => {
  const claim = makeClaim('data', { storageClassName: 'csi' });
  const objects = staticClusterObjects({ persistentVolumeClaims: [claim], storageClasses: [csiClass] });
  const fw = newDefaultFramework({ pluginArgs: { VolumeBinding: { bindTimeoutSeconds: 0.005, pollIntervalMs: 1 } } }, { clusterObjects: objects });
  const pod = podWithClaims('p', ['data']);
  const result = scheduleOne(fw, Snapshot.from({ nodes }), pod, { random: () => 0 });
  assert.ok('node' in result);
  assert.equal(fw.runReservePlugins(result.state, pod, result.node).code, 'Success');
  const s = await fw.runPreBindPlugins(result.state, pod, result.node);
  assert.equal(s.code, 'Error');
  assert.equal(s.plugin, 'VolumeBinding');
  assert.equal(s.message(), 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
});
