import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import type { PvApi } from './binder.js';
import { PersistentVolumeController } from './controller.js';

function pv(name: string, o: { storage?: string; className?: string; modes?: string[]; phase?: string; claim?: PersistentVolumeClaim; policy?: string; hostPath?: string; labels?: Record<string, string>; boundByController?: boolean } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', labels: o.labels, ...(o.boundByController ? { annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } } : {}) },
    spec: {
      capacity: { storage: o.storage ?? '1Gi' },
      accessModes: o.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: o.policy ?? 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: o.hostPath ?? `/data/${name}` },
      ...(o.className ? { storageClassName: o.className } : {}),
      ...(o.claim ? { claimRef: { kind: 'PersistentVolumeClaim', namespace: o.claim.metadata?.namespace, name: o.claim.metadata?.name, uid: o.claim.metadata?.uid } } : {}),
    },
    status: { phase: o.phase ?? 'Available' },
  };
}

function pvc(name: string, o: { storage?: string; className?: string; modes?: string[]; volumeName?: string; bound?: boolean; selector?: Record<string, string> } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1', ...(o.bound ? { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } : {}) },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '1Gi' } },
      volumeMode: 'Filesystem',
      ...(o.className !== undefined ? { storageClassName: o.className } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
      ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
    },
    status: { phase: o.bound ? 'Bound' : 'Pending' },
  };
}

const waitForFirstConsumer: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };

function setup(volumes: PersistentVolume[], claims: PersistentVolumeClaim[], classes: StorageClass[] = [], pods: Pod[] = []) {
  const volumeInformer = fakeInformer(volumes as unknown as KubeObject[]);
  const claimInformer = fakeInformer(claims as unknown as KubeObject[]);
  let version = 100;
  const calls: string[] = [];
  const write = <T extends { metadata?: { resourceVersion?: string } }>(store: { upsert(o: KubeObject): void }, object: T): T => {
    const written = { ...object, metadata: { ...object.metadata, resourceVersion: String(++version) } };
    store.upsert(written as unknown as KubeObject);
    return written;
  };
  const api: PvApi = {
    async updateVolume(v) {
      calls.push(`update pv ${v.metadata?.name}`);
      return write(volumeInformer.store, v);
    },
    async updateVolumeStatus(v) {
      calls.push(`status pv ${v.metadata?.name} ${v.status?.phase}`);
      return write(volumeInformer.store, v);
    },
    async deleteVolume(v) {
      calls.push(`delete pv ${v.metadata?.name}`);
      volumeInformer.store.delete(v.metadata?.name ?? '');
    },
    getVolume: async (name) => volumeInformer.store.get(name) as unknown as PersistentVolume | undefined,
    getClaim: async (namespace, name) => claimInformer.store.get(`${namespace}/${name}`) as unknown as PersistentVolumeClaim | undefined,
    async updateClaim(c) {
      calls.push(`update pvc ${c.metadata?.name}`);
      return write(claimInformer.store, c);
    },
    async updateClaimStatus(c) {
      calls.push(`status pvc ${c.metadata?.name} ${c.status?.phase}`);
      return write(claimInformer.store, c);
    },
    removeHostPath(path) {
      calls.push(`rm ${path}`);
    },
  };
  const recorder = new RecordingEventRecorder();
  const controller = new PersistentVolumeController({
    volumes: volumeInformer,
    claims: claimInformer,
    classes: fakeInformer(classes as unknown as KubeObject[]),
    pods: fakeInformer(pods as unknown as KubeObject[]),
    api,
    recorder,
    clock: new FakeClock(),
  });
  const getPv = (name: string) => volumeInformer.store.get(name) as unknown as PersistentVolume | undefined;
  const getPvc = (name: string) => claimInformer.store.get(`ns/${name}`) as unknown as PersistentVolumeClaim;
  return { controller, calls, events: recorder.events, getPv, getPvc, volumeInformer, claimInformer };
}

test('a claim without class binds to the smallest big-enough Available volume without class', async () => {
  const { controller, getPv, getPvc } = setup([pv('big', { storage: '10Gi' }), pv('small', { storage: '500Mi' }), pv('fit', { storage: '2Gi' }), pv('classy', { storage: '1Gi', className: 'fast' })], [pvc('data')]);
  await controller.syncClaimByKey('ns/data');
  const claim = getPvc('data');
  assert.equal(claim.spec?.volumeName, 'fit');
  assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(claim.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual(claim.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
  const volume = getPv('fit')!;
  assert.equal(volume.spec?.claimRef?.uid, 'uid-data');
  assert.equal(volume.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.equal(volume.status?.phase, 'Bound');
  assert.ok(volume.status?.lastPhaseTransitionTime);
});

test('volumes with fewer access modes are preferred, and the selector filters by label', async () => {
  const { controller, getPvc } = setup(
    [pv('rwx', { storage: '1Gi', modes: ['ReadWriteOnce', 'ReadWriteMany'], labels: { tier: 'gold' } }), pv('rwo-small', { storage: '1Gi', labels: { tier: 'silver' } }), pv('rwo-gold', { storage: '5Gi', labels: { tier: 'gold' } })],
    [pvc('a'), pvc('b', { selector: { tier: 'gold' } })],
  );
  await controller.syncClaimByKey('ns/a');
  await controller.syncClaimByKey('ns/b');
  assert.equal(getPvc('a').spec?.volumeName, 'rwo-small');
  assert.equal(getPvc('b').spec?.volumeName, 'rwo-gold');
});

test('no matching volume and no class: FailedBinding, the claim stays Pending', async () => {
  const { controller, events, getPvc } = setup([pv('tiny', { storage: '1Mi' })], [pvc('data')]);
  await controller.syncClaimByKey('ns/data');
  assert.deepEqual(events, ['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);
  assert.equal(getPvc('data').status?.phase, 'Pending');
});

test('WaitForFirstConsumer: the claim waits; once the scheduler pre-binds a volume the claim is bound', async () => {
  const claim = pvc('data', { className: 'local' });
  const unscheduled: Pod = { metadata: { name: 'user', namespace: 'ns' }, spec: { containers: [], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }, status: { phase: 'Pending' } };
  const { controller, events, getPvc, volumeInformer } = setup([pv('local-1', { className: 'local' })], [claim], [waitForFirstConsumer]);
  await controller.syncClaimByKey('ns/data');
  assert.deepEqual(events, ['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
  assert.equal(getPvc('data').spec?.volumeName, undefined);

  const withPod = setup([pv('local-1', { className: 'local' })], [claim], [waitForFirstConsumer], [unscheduled]);
  await withPod.controller.syncClaimByKey('ns/data');
  assert.deepEqual(withPod.events, ['Normal WaitForPodScheduled waiting for pod user to be scheduled']);

  // The scheduler's PreBind writes the claimRef and the bound-by-controller annotation.
  volumeInformer.store.upsert(pv('local-1', { className: 'local', claim, boundByController: true }) as unknown as KubeObject);
  await controller.syncVolumeByName('local-1');
  await controller.syncClaimByKey('ns/data');
  assert.equal(getPvc('data').spec?.volumeName, 'local-1');
  assert.equal(getPvc('data').status?.phase, 'Bound');
});

test('a claim naming a volume that does not satisfy it gets VolumeMismatch', async () => {
  const { controller, events, getPvc } = setup([pv('small', { storage: '1Mi' })], [pvc('data', { volumeName: 'small' })]);
  await controller.syncClaimByKey('ns/data');
  assert.deepEqual(events, ['Warning VolumeMismatch Cannot bind to requested volume "small": requested PV is too small']);
  assert.equal(getPvc('data').status?.phase, 'Pending');
});

test('a volume pre-bound by the user is bound to its claim without the bound-by-controller annotation', async () => {
  const claim = pvc('data');
  const { controller, getPv, getPvc } = setup([pv('mine', { claim: { ...claim, metadata: { ...claim.metadata, uid: undefined } } }), pv('other')], [claim]);
  await controller.syncVolumeByName('mine');
  assert.equal(getPv('mine')?.status?.phase, 'Available');
  await controller.syncClaimByKey('ns/data');
  assert.equal(getPvc('data').spec?.volumeName, 'mine');
  assert.equal(getPv('mine')?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
  assert.equal(getPv('mine')?.spec?.claimRef?.uid, 'uid-data');
});

test('deleting the claim releases a Retain volume and keeps it', async () => {
  const claim = pvc('data', { volumeName: 'kept', bound: true });
  const { controller, calls, getPv, claimInformer } = setup([pv('kept', { claim, phase: 'Bound' })], [claim]);
  claimInformer.store.delete('ns/data');
  await controller.syncVolumeByName('kept');
  assert.equal(getPv('kept')?.status?.phase, 'Released');
  assert.ok(!calls.some((c) => c.startsWith('delete')));
});

test('Delete policy: a hostPath volume outside /tmp fails as upstream, one under /tmp is removed with its object', async () => {
  const a = pvc('a', { volumeName: 'outside', bound: true });
  const b = pvc('b', { volumeName: 'inside', bound: true });
  const { controller, calls, events, getPv } = setup([pv('outside', { claim: a, phase: 'Bound', policy: 'Delete', hostPath: '/data/x' }), pv('inside', { claim: b, phase: 'Bound', policy: 'Delete', hostPath: '/tmp/pv-inside' })], []);
  await controller.syncVolumeByName('outside');
  assert.equal(getPv('outside')?.status?.phase, 'Failed');
  assert.equal(getPv('outside')?.status?.message, 'host_path deleter only supports /tmp/.+ but received provided /data/x');
  assert.deepEqual(events, ['Warning VolumeFailedDelete host_path deleter only supports /tmp/.+ but received provided /data/x']);
  await controller.syncVolumeByName('inside');
  assert.deepEqual(calls.slice(-3), ['status pv inside Released', 'rm /tmp/pv-inside', 'delete pv inside']);
  assert.equal(getPv('inside'), undefined);
});

test('a bound claim whose volume is gone is Lost', async () => {
  const { controller, events, getPvc } = setup([], [pvc('data', { volumeName: 'gone', bound: true })]);
  await controller.syncClaimByKey('ns/data');
  assert.equal(getPvc('data').status?.phase, 'Lost');
  assert.deepEqual(events, ['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!']);
});

test('a volume the controller bound to a claim that went elsewhere is unbound', async () => {
  const claim = pvc('data', { volumeName: 'winner', bound: true });
  const { controller, getPv } = setup([pv('loser', { claim, boundByController: true, phase: 'Bound' }), pv('winner', { claim, phase: 'Bound' })], [claim]);
  await controller.syncVolumeByName('loser');
  assert.equal(getPv('loser')?.spec?.claimRef, undefined);
  assert.equal(getPv('loser')?.status?.phase, 'Available');
});

test('an unknown external provisioner: the claim is annotated and waits', async () => {
  const sc: StorageClass = { metadata: { name: 'ext' }, provisioner: 'example.com/nfs', volumeBindingMode: 'Immediate' };
  const { controller, events, getPvc } = setup([], [pvc('data', { className: 'ext' })], [sc]);
  await controller.syncClaimByKey('ns/data');
  assert.equal(getPvc('data').metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'], 'example.com/nfs');
  assert.match(events[0]!, /^Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'example.com\/nfs'/);
});
