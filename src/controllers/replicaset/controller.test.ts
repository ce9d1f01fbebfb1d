import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { ApiError } from '../../client/index.js';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { ReplicaSetController } from './controller.js';
import { FakeResource } from './fake-api.test-support.js';
import { replicaSetKind, replicationControllerKind, type ReplicaKind } from './kind.js';
import type { Pod, ReplicaSet } from './types.js';

function replicaSet(replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 1, resourceVersion: '1' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, ...extra },
  };
}

/** Controllers of the running test: shut down so their delayed requeues end with the test. */
const running: ReplicaSetController[] = [];
afterEach(() => {
  for (const controller of running.splice(0)) controller.shutDown();
});

function setup(owner: ReplicaSet, pods: Pod[] = [], kind: ReplicaKind = replicaSetKind) {
  const clock = new FakeClock();
  const owners = fakeInformer();
  const podInformer = fakeInformer();
  const ownerApi = new FakeResource(owners, clock, kind.kind);
  const podApi = new FakeResource(podInformer, clock, 'pods');
  const recorder = new RecordingEventRecorder();
  const controller = new ReplicaSetController({ kind, owners, pods: podInformer, ownerClient: ownerApi as never, podClient: podApi as never, recorder, clock, burstReplicas: 10 });
  running.push(controller);
  owners.store.upsert(owner);
  for (const pod of pods) podInformer.store.upsert(pod);
  const current = () => owners.store.get('ns/web') as ReplicaSet;
  const podList = () => podInformer.store.list() as Pod[];
  return { clock, controller, ownerApi, podApi, recorder, current, podList, podInformer };
}

function runningPod(name: string, options: { ready?: boolean; owner?: string; node?: string; created?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `${name}-uid`,
      resourceVersion: '1',
      labels: options.labels ?? { app: 'web' },
      creationTimestamp: options.created ?? '2024-01-01T00:00:00Z',
      ...(options.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: options.owner, controller: true }] } : {}),
    },
    spec: { nodeName: options.node ?? 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
  };
}

test('scaling up creates the missing pods with a controller ref, events and status', async () => {
  const { controller, current, podList, recorder } = setup(replicaSet(3));
  await controller.sync('ns/web');
  const pods = podList();
  assert.equal(pods.length, 3);
  for (const pod of pods) {
    assert.match(pod.metadata!.name!, /^web-/);
    assert.deepEqual(pod.metadata!.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
  }
  assert.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-')).length, 3);
  // Status counts the pods the sync started from; the pods' add events bring the next sync.
  assert.equal(current().status?.replicas, 0);
  await controller.sync('ns/web');
  assert.deepEqual(current().status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
});

test('the burst limit caps creations per sync and expectations hold the next sync until they are seen', async () => {
  const { controller, podList, podApi } = setup(replicaSet(25));
  await controller.sync('ns/web');
  assert.equal(podList().length, 10);
  // Every creation was observed through the informer, so the next sync goes on.
  await controller.sync('ns/web');
  assert.equal(podList().length, 20);
  // Creations not yet observed: the controller waits rather than over-create.
  controller.expectations.expectCreations('ns/web', 1);
  await controller.sync('ns/web');
  assert.equal(podList().length, 20);
  assert.equal(podApi.calls.filter((c) => c.startsWith('create')).length, 20);
});

test('a refused creation records FailedCreate and the ReplicaFailure condition, and batches stop early', async () => {
  const { controller, current, podApi, recorder } = setup(replicaSet(5));
  podApi.failCreates = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden', message: 'pods "web-abcde" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0' } as never);
  await assert.rejects(controller.sync('ns/web'), /exceeded quota/);
  // Slow start: the first batch of one failed, so nothing more was tried.
  assert.deepEqual(recorder.events, ['Warning FailedCreate Error creating: pods "web-abcde" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0']);
  const condition = current().status?.conditions?.[0];
  assert.equal(condition?.type, 'ReplicaFailure');
  assert.equal(condition?.reason, 'FailedCreate');
  assert.match(condition?.message ?? '', /exceeded quota/);
  // Expectations were lowered for the creations that never happened: the retry acts at once.
  podApi.failCreates = undefined;
  await controller.sync('ns/web');
  await controller.sync('ns/web');
  assert.equal(current().status?.replicas, 5);
  assert.equal(current().status?.conditions, undefined);
});

test('scaling down deletes the unready and unscheduled pods first', async () => {
  const pods = [
    runningPod('ready-old', { owner: 'rs-uid' }),
    runningPod('not-ready', { owner: 'rs-uid', ready: false }),
    { ...runningPod('unscheduled', { owner: 'rs-uid', ready: false }), spec: { containers: [] }, status: { phase: 'Pending' } },
    runningPod('ready-new', { owner: 'rs-uid' }),
  ];
  const { controller, podList, recorder, current } = setup(replicaSet(2), pods);
  await controller.sync('ns/web');
  assert.deepEqual(podList().map((p) => p.metadata!.name).sort(), ['ready-new', 'ready-old']);
  assert.deepEqual(recorder.events.sort(), ['Normal SuccessfulDelete Deleted pod: not-ready', 'Normal SuccessfulDelete Deleted pod: unscheduled']);
  assert.equal(current().status?.readyReplicas, 2);
});

test('an orphan matching the selector is adopted, and an owned pod that stopped matching is released', async () => {
  const orphan = runningPod('orphan');
  const stray = runningPod('stray', { owner: 'rs-uid', labels: { app: 'other' } });
  const { controller, podList, podApi } = setup(replicaSet(1), [orphan, stray]);
  await controller.sync('ns/web');
  const byName = new Map(podList().map((p) => [p.metadata!.name, p]));
  assert.equal(byName.get('orphan')?.metadata?.ownerReferences?.[0]?.uid, 'rs-uid');
  assert.deepEqual(byName.get('stray')?.metadata?.ownerReferences, []);
  assert.equal(podApi.calls.filter((c) => c.startsWith('create')).length, 0);
});

test('availableReplicas waits for minReadySeconds, measured on the clock', async () => {
  const { controller, current, clock, podInformer } = setup(replicaSet(1, { minReadySeconds: 10 }));
  const pod = runningPod('p', { owner: 'rs-uid' });
  pod.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now()) }];
  podInformer.store.upsert(pod);
  await controller.sync('ns/web');
  assert.equal(current().status?.readyReplicas, 1);
  assert.equal(current().status?.availableReplicas, undefined);
  clock.step(10_000);
  await controller.sync('ns/web');
  assert.equal(current().status?.availableReplicas, 1);
});

test('a ReplicationController selects by its label map and owns pods as kind ReplicationController', async () => {
  const rc: ReplicaSet = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: 'ns', uid: 'rc-uid', generation: 1 }, spec: { replicas: 2, selector: { app: 'web' }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
  const { controller, podList, current } = setup(rc, [], replicationControllerKind);
  await controller.sync('ns/web');
  await controller.sync('ns/web');
  assert.equal(podList().length, 2);
  assert.equal(podList()[0]!.metadata!.ownerReferences![0]!.kind, 'ReplicationController');
  assert.equal(podList()[0]!.metadata!.ownerReferences![0]!.apiVersion, 'v1');
  assert.equal(current().status?.replicas, 2);
});

test('a deleted pod is replaced once its deletion is observed', async () => {
  const { controller, podList, podApi } = setup(replicaSet(2));
  await controller.sync('ns/web');
  const victim = podList()[0]! as KubeObject;
  await podApi.delete('ns', victim.metadata!.name!);
  await controller.sync('ns/web');
  assert.equal(podList().length, 2);
  assert.ok(!podList().some((p) => p.metadata!.name === victim.metadata!.name));
});
