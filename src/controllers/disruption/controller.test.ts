import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { DisruptionController, goLabelSelector } from './controller.js';
import { deletionTimeoutMs } from './budget.js';
import { cacheScaleFinder } from './scale.js';

const clock = () => new FakeClock(Date.parse('2024-01-01T00:10:00Z'));

function pod(name: string, ready: boolean, extra: { owner?: { kind: string; name: string; uid: string; apiVersion?: string }; deleting?: boolean; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: extra.labels ?? { app: 'db' },
      ...(extra.owner ? { ownerReferences: [{ apiVersion: extra.owner.apiVersion ?? 'apps/v1', kind: extra.owner.kind, name: extra.owner.name, uid: extra.owner.uid, controller: true }] } : {}),
      ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function budget(spec: Record<string, unknown>, status?: Record<string, unknown>): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'ns', generation: 1, resourceVersion: '5' }, spec: { selector: { matchLabels: { app: 'db' } }, ...spec }, ...(status ? { status } : {}) } as PodDisruptionBudget;
}

function setup(pdb: PodDisruptionBudget, pods: Pod[], owners: { replicaSets?: KubeObject[]; deployments?: KubeObject[]; statefulSets?: KubeObject[] } = {}, fakeClock = clock()) {
  const written: PodDisruptionBudget[] = [];
  const recorder = new RecordingEventRecorder();
  const replicaSets = fakeInformer(owners.replicaSets ?? []);
  const deployments = fakeInformer(owners.deployments ?? []);
  const statefulSets = fakeInformer(owners.statefulSets ?? []);
  const controller = new DisruptionController({
    pdbs: fakeInformer([pdb as KubeObject]),
    pods: fakeInformer(pods as KubeObject[]),
    findScale: cacheScaleFinder({ replicaSets: replicaSets.cache, deployments: deployments.cache, statefulSets: statefulSets.cache, replicationControllers: fakeInformer().cache }),
    api: {
      async updateStatus(updated) {
        written.push(updated);
        return updated;
      },
      async patchPodStatus() {
        return {};
      },
    },
    recorder,
    clock: fakeClock,
  });
  return { controller, written, recorder, clock: fakeClock };
}

test('integer minAvailable counts ready pods: 3 ready of 4 with minAvailable 2 allows 1 disruption', async () => {
  const { controller, written } = setup(budget({ minAvailable: 2 }), [pod('a', true), pod('b', true), pod('c', true), pod('d', false)]);
  await controller.sync('ns/db');
  const status = written[0]!.status!;
  assert.deepEqual(
    { currentHealthy: status.currentHealthy, desiredHealthy: status.desiredHealthy, expectedPods: status.expectedPods, disruptionsAllowed: status.disruptionsAllowed, observedGeneration: status.observedGeneration },
    { currentHealthy: 3, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 1, observedGeneration: 1 },
  );
  assert.deepEqual(status.conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:10:00Z' }]);
});

test('percentages use the controllers scale and round up; a Deployment counts through its ReplicaSet', async () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns', uid: 'uid-web' }, spec: { replicas: 5 } };
  const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'ns', uid: 'uid-rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true }] }, spec: { replicas: 3 } };
  const owner = { kind: 'ReplicaSet', name: 'web-1', uid: 'uid-rs' };
  const pods = [pod('a', true, { owner }), pod('b', true, { owner }), pod('c', true, { owner })];
  // maxUnavailable 30% of 5 rounds up to 2: desiredHealthy 3, allowed 0 with 3 healthy.
  const max = setup(budget({ maxUnavailable: '30%' }), pods, { replicaSets: [replicaSet], deployments: [deployment] });
  await max.controller.sync('ns/db');
  assert.deepEqual([max.written[0]!.status!.expectedPods, max.written[0]!.status!.desiredHealthy, max.written[0]!.status!.disruptionsAllowed], [5, 3, 0]);
  assert.equal(max.written[0]!.status!.conditions![0]!.reason, 'InsufficientPods');
  // minAvailable 41% of 5 = 2.05 rounds up to 3.
  const min = setup(budget({ minAvailable: '41%' }), pods, { replicaSets: [replicaSet], deployments: [deployment] });
  await min.controller.sync('ns/db');
  assert.deepEqual([min.written[0]!.status!.desiredHealthy, min.written[0]!.status!.disruptionsAllowed], [3, 0]);
});

test('a pod whose controller cannot be found fails the sync safe: SyncFailed and no disruptions', async () => {
  const pods = [pod('a', true, { owner: { kind: 'StatefulSet', name: 'gone', uid: 'uid-gone' } })];
  const { controller, written, recorder } = setup(budget({ maxUnavailable: 1 }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1, observedGeneration: 1 }), pods);
  await controller.sync('ns/db');
  const status = written[0]!.status!;
  assert.equal(status.disruptionsAllowed, 0);
  assert.deepEqual(status.conditions, [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:10:00Z' }]);
  assert.deepEqual(recorder.events, ['Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: found no controllers for pod "a"']);
});

test('unmanaged pods under a percentage budget are reported and not counted', async () => {
  const { controller, written, recorder } = setup(budget({ minAvailable: '50%' }), [pod('a', true)]);
  await controller.sync('ns/db');
  assert.equal(written[0]!.status!.expectedPods, 0);
  assert.equal(written[0]!.status!.disruptionsAllowed, 0);
  assert.match(recorder.events[0]!, /^Warning UnmanagedPods Pods selected by this PodDisruptionBudget \(selector: &LabelSelector\{MatchLabels:map\[string\]string\{app: db,\},MatchExpressions:\[\]LabelSelectorRequirement\{\},\}\) were found to be unmanaged\./);
});

test('recently evicted pods do not count as healthy until the deletion timeout, then are dropped from disruptedPods', async () => {
  const fake = clock();
  const evictedAt = rfc3339(fake.now() - 30_000);
  const pdb = budget({ minAvailable: 1 }, { disruptedPods: { a: evictedAt }, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 });
  const { controller, written, recorder } = setup(pdb, [pod('a', true), pod('b', true)], {}, fake);
  await controller.sync('ns/db');
  assert.deepEqual(written[0]!.status!.disruptedPods, { a: evictedAt });
  assert.equal(written[0]!.status!.currentHealthy, 1);
  assert.equal(controller.queue.len(), 0, 'the recheck is delayed');
  fake.step(deletionTimeoutMs);
  await controller.sync('ns/db');
  assert.equal(written[1]!.status!.disruptedPods, undefined);
  assert.equal(written[1]!.status!.currentHealthy, 2);
  assert.equal(written[1]!.status!.disruptionsAllowed, 1);
  assert.deepEqual(recorder.events, ["Warning NotDeleted Pod was expected by PDB ns/ns to be deleted but it wasn't"]);
});

test('a status that already says it all is not written again', async () => {
  const first = setup(budget({ minAvailable: 1 }), [pod('a', true), pod('b', true)]);
  await first.controller.sync('ns/db');
  const settled = { ...budget({ minAvailable: 1 }), status: first.written[0]!.status };
  const second = setup(settled, [pod('a', true), pod('b', true)]);
  await second.controller.sync('ns/db');
  assert.deepEqual(second.written, []);
});

test('the Go rendering of a selector with expressions', () => {
  assert.equal(goLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }), '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},},}');
});
