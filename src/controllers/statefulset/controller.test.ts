import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup, statefulSet } from './harness.test-support.js';

const withClaims = { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] };

test('OrderedReady creates web-0 with its identity and claim, and web-1 only once web-0 is Running and Ready', async () => {
  const h = setup({ sets: [statefulSet('web', withClaims)] });
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0']);
  const pod = h.pod('web-0')!;
  assert.equal(pod.spec?.hostname, 'web-0');
  assert.equal(pod.spec?.subdomain, 'nginx');
  assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
  assert.equal(pod.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');
  assert.match(pod.metadata?.labels?.['controller-revision-hash'] ?? '', /^web-[a-z0-9]+$/);
  assert.deepEqual(pod.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
  assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'StatefulSet');
  assert.deepEqual(h.recorder.events, ['Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success', 'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful']);
  assert.deepEqual(h.stores.claims.get('default/www-web-0')?.metadata?.labels, { app: 'web' });

  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0'], 'web-1 waits for web-0');
  h.makeReady('web-0');
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0', 'web-1']);
  // As upstream, a pod is counted from the pass that sees it created.
  assert.equal(h.set('web').status!.replicas, 1);
  await h.sync('web');
  const status = h.set('web').status!;
  assert.equal(status.replicas, 2);
  assert.equal(status.readyReplicas, 1);
  assert.equal(status.availableReplicas, 1);
  assert.equal(status.currentRevision, status.updateRevision);
  assert.equal(status.observedGeneration, 1);
  assert.equal(status.collisionCount, 0);
});

test('Parallel creates every pod in one pass', async () => {
  const h = setup({ sets: [statefulSet('web', { podManagementPolicy: 'Parallel' })] });
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0', 'web-1', 'web-2']);
});

async function readySet(h: ReturnType<typeof setup>, name: string, replicas: number): Promise<void> {
  for (let i = 0; i < replicas; i++) {
    await h.sync(name);
    h.makeReady(`${name}-${i}`);
  }
  await h.sync(name);
}

test('scaling down deletes the highest ordinal first, one at a time, and keeps the claims', async () => {
  const h = setup({ sets: [statefulSet('web', withClaims)] });
  await readySet(h, 'web', 3);
  assert.equal(h.set('web').status?.readyReplicas, 3);
  h.editSet('web', (set) => (set.spec!.replicas = 1));
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0', 'web-1']);
  assert.ok(h.recorder.events.includes('Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful'));
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0']);
  assert.equal(h.stores.claims.list().length, 3, 'whenScaled=Retain keeps claims');
});

test('a deleted or failed pod comes back with the same name and the same claim', async () => {
  const h = setup({ sets: [statefulSet('web', withClaims)] });
  await readySet(h, 'web', 3);
  const claimUid = h.stores.claims.get('default/www-web-1')?.metadata?.uid;
  h.makeReady('web-1', 'Failed');
  await h.sync('web');
  assert.equal(h.pod('web-1'), undefined, 'the failed pod is deleted');
  await h.sync('web');
  assert.ok(h.pod('web-1'), 're-created');
  assert.equal(h.stores.claims.get('default/www-web-1')?.metadata?.uid, claimUid);
  assert.deepEqual(h.pod('web-1')?.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
});

test('a rolling update replaces pods from the highest ordinal down to the partition', async () => {
  const h = setup({ sets: [statefulSet('web')] });
  await readySet(h, 'web', 3);
  const firstRevision = h.set('web').status!.currentRevision!;
  h.editSet('web', (set) => {
    set.spec!.template!.spec!.containers[0]!.image = 'nginx:2';
    set.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
  });
  await h.sync('web');
  assert.equal(h.pod('web-2'), undefined, 'web-2 deleted for the update');
  const updateRevision = h.set('web').status!.updateRevision!;
  assert.notEqual(updateRevision, firstRevision);
  await h.sync('web');
  assert.equal(h.pod('web-2')?.spec?.containers[0]?.image, 'nginx:2');
  assert.equal(h.pod('web-2')?.metadata?.labels?.['controller-revision-hash'], updateRevision);
  h.makeReady('web-2');
  await h.sync('web');
  assert.equal(h.pod('web-1'), undefined, 'web-1 is next');
  await h.sync('web');
  h.makeReady('web-1');
  await h.sync('web');
  assert.equal(h.pod('web-0')?.spec?.containers[0]?.image, 'nginx:1', 'below the partition nothing changes');
  const status = h.set('web').status!;
  assert.equal(status.updatedReplicas, 2);
  assert.equal(status.currentReplicas, 1);
  assert.equal(status.currentRevision, firstRevision);
  assert.equal(h.stores.revisions.list().length, 2);

  h.editSet('web', (set) => (set.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }));
  await h.sync('web');
  await h.sync('web');
  h.makeReady('web-0');
  await h.sync('web');
  const done = h.set('web').status!;
  assert.equal(done.currentRevision, updateRevision, 'the update revision becomes current');
  assert.equal(done.currentReplicas, 3);
});

test('going back to an earlier template renumbers its revision instead of creating one', async () => {
  const h = setup({ sets: [statefulSet('web', { replicas: 1 })] });
  await readySet(h, 'web', 1);
  h.editSet('web', (set) => (set.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  await h.sync('web');
  h.editSet('web', (set) => (set.spec!.template!.spec!.containers[0]!.image = 'nginx:1'));
  await h.sync('web');
  const revisions = h.stores.revisions.list().map((r) => [r.metadata?.name, r.revision]).sort((a, b) => Number(a[1]) - Number(b[1]));
  assert.equal(revisions.length, 2);
  assert.equal(revisions[1]![0], h.set('web').status?.updateRevision);
  assert.equal(revisions[1]![1], 3);
});

test('OnDelete never deletes pods for an update; a pod deleted by hand comes back at the new revision', async () => {
  const h = setup({ sets: [statefulSet('web', { replicas: 2, updateStrategy: { type: 'OnDelete' } })] });
  await readySet(h, 'web', 2);
  h.editSet('web', (set) => (set.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0', 'web-1']);
  h.stores.pods.delete('default/web-1');
  await h.sync('web');
  assert.equal(h.pod('web-1')?.spec?.containers[0]?.image, 'nginx:2');
  assert.equal(h.pod('web-0')?.spec?.containers[0]?.image, 'nginx:1');
});

test('whenDeleted=Delete makes the set own its claims; whenScaled=Delete hands a scaled-away claim to its pod', async () => {
  const h = setup({ sets: [statefulSet('web', { ...withClaims, replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } })] });
  await readySet(h, 'web', 2);
  const owners = (name: string) => (h.stores.claims.get(`default/${name}`)?.metadata?.ownerReferences ?? []).map((ref) => `${ref.kind}/${ref.name}`);
  assert.deepEqual(owners('www-web-0'), ['StatefulSet/web']);
  h.editSet('web', (set) => (set.spec!.replicas = 1));
  await h.sync('web');
  assert.deepEqual(owners('www-web-1'), ['Pod/web-1']);
});

test('old revisions beyond revisionHistoryLimit are deleted, the ones in use kept', async () => {
  const h = setup({ sets: [statefulSet('web', { replicas: 1, revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } })] });
  await readySet(h, 'web', 1);
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
    h.editSet('web', (set) => (set.spec!.template!.spec!.containers[0]!.image = image));
    await h.sync('web');
  }
  // Live: the pod's revision (nginx:1, also current) and the update revision (nginx:4); one more kept.
  assert.equal(h.stores.revisions.list().length, 3);
});

test('a set that is gone is nothing to do', async () => {
  const h = setup({ sets: [] });
  await h.sync('web');
  assert.deepEqual(h.podNames(), []);
});

test('rollingUpdate.maxUnavailable lets that many pods be replaced at once, highest ordinals first', async () => {
  const h = setup({ sets: [statefulSet('web', { podManagementPolicy: 'Parallel' })] });
  await readySet(h, 'web', 3);
  h.editSet('web', (set) => {
    set.spec!.template!.spec!.containers[0]!.image = 'nginx:2';
    set.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } };
  });
  await h.sync('web');
  assert.deepEqual(h.podNames(), ['web-0']);
});

test('a claim still owned by a previous pod of the same name holds back the new pod (whenScaled=Delete)', async () => {
  const set = statefulSet('web', { ...withClaims, replicas: 1, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
  const staleClaim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www-web-0', namespace: 'default', uid: 'c1', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'gone', controller: true }] }, status: { phase: 'Bound' } };
  const h = setup({ sets: [set], claims: [staleClaim] });
  await h.sync('web');
  assert.deepEqual(h.podNames(), []);
});
