import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { FakeResource } from '../replicaset/fake-api.test-support.js';
import { DeploymentController } from './controller.js';
import type { Deployment, ReplicaSet } from './types.js';

function deployment(replicas: number, spec: Partial<NonNullable<Deployment['spec']>> = {}, image = 'nginx:1'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1, resourceVersion: '1' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
  };
}

/** Controllers of the running test: shut down so their delayed requeues end with the test. */
const running: DeploymentController[] = [];
afterEach(() => {
  for (const controller of running.splice(0)) controller.shutDown();
});

function setup(d: Deployment) {
  const clock = new FakeClock();
  const deployments = fakeInformer();
  const replicaSets = fakeInformer();
  const pods = fakeInformer();
  const deploymentApi = new FakeResource(deployments, clock, 'deployments.apps');
  const replicaSetApi = new FakeResource(replicaSets, clock, 'replicasets.apps');
  const recorder = new RecordingEventRecorder();
  const controller = new DeploymentController({ deployments, replicaSets, pods, deploymentClient: deploymentApi as never, replicaSetClient: replicaSetApi as never, recorder, clock });
  running.push(controller);
  deployments.store.upsert(d);
  const current = () => deployments.store.get('ns/web') as Deployment;
  const sets = () => (replicaSets.store.list() as ReplicaSet[]).sort((a, b) => (a.metadata!.creationTimestamp! < b.metadata!.creationTimestamp! ? -1 : a.metadata!.creationTimestamp! > b.metadata!.creationTimestamp! ? 1 : 0));
  const sizes = () => sets().map((rs) => rs.spec?.replicas);
  /** What the ReplicaSet controller and kubelets would report: every replica created, `available` of them available. */
  const settle = (available: (rs: ReplicaSet) => number = (rs) => rs.spec?.replicas ?? 0) => {
    for (const rs of sets()) {
      const n = available(rs);
      replicaSetApi.external({ ...rs, status: { replicas: rs.spec?.replicas ?? 0, readyReplicas: n, availableReplicas: n, observedGeneration: rs.metadata?.generation } } as KubeObject);
    }
  };
  const edit = (change: (d: Deployment) => void) => {
    const next = structuredClone(current());
    change(next);
    next.metadata!.generation = (next.metadata!.generation ?? 0) + 1;
    deploymentApi.external(next);
  };
  // A conflict (a write from a stale cached copy) is retried, as the work queue would.
  const sync = () => controller.syncDeployment('ns/web').catch((error: { code?: number }) => {
    if (error.code !== 409) throw error;
    return controller.syncDeployment('ns/web');
  });
  const condition = (type: string) => current().status?.conditions?.find((c) => c.type === type);
  return { clock, controller, current, sets, sizes, settle, edit, sync, recorder, condition, replicaSetApi, deploymentApi };
}

test('a new Deployment creates <name>-<hash> with the hash label and selector, revision 1 and a scale-up event', async () => {
  const t = setup(deployment(3));
  await t.sync();
  const [rs] = t.sets();
  assert.ok(rs);
  const hash = rs.metadata!.labels!['pod-template-hash']!;
  assert.equal(rs.metadata!.name, `web-${hash}`);
  assert.deepEqual((rs.spec!.selector as { matchLabels: object }).matchLabels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs.spec!.template!.metadata!.labels!['pod-template-hash'], hash);
  assert.deepEqual(rs.metadata!.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  assert.equal(rs.metadata!.ownerReferences![0]!.kind, 'Deployment');
  assert.equal(rs.spec!.replicas, 3);
  assert.deepEqual(t.recorder.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
  assert.equal(t.current().metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
  assert.equal(t.condition('Progressing')?.reason, 'NewReplicaSetCreated');
  assert.equal(t.condition('Progressing')?.message, `Created new replica set "web-${hash}"`);
  assert.equal(t.condition('Available')?.reason, 'MinimumReplicasUnavailable');
  assert.equal(t.condition('Available')?.message, 'Deployment does not have minimum availability.');

  t.settle();
  await t.sync();
  assert.equal(t.condition('Available')?.reason, 'MinimumReplicasAvailable');
  assert.equal(t.condition('Progressing')?.reason, 'NewReplicaSetAvailable');
  assert.equal(t.condition('Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  const status = t.current().status!;
  assert.equal(status.observedGeneration, t.current().metadata!.generation);
  assert.deepEqual([status.replicas, status.updatedReplicas, status.readyReplicas, status.availableReplicas, status.unavailableReplicas], [3, 3, 3, 3, undefined]);
});

test('a rolling update surges and removes within maxSurge and maxUnavailable, step by step', async () => {
  // 4 replicas, 25%: maxSurge rounds up to 1, maxUnavailable rounds down to 1.
  const t = setup(deployment(4));
  await t.sync();
  t.settle();
  await t.sync();
  const oldName = t.sets()[0]!.metadata!.name!;
  t.clock.step(1000);
  t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  t.recorder.events.length = 0;
  await t.sync();
  const newName = t.sets()[1]!.metadata!.name!;
  // One pod over (surge) and one old pod gone (4 + 1 total - 3 minimum available - 1 new unavailable).
  assert.deepEqual(t.sizes(), [3, 1]);
  assert.equal(t.sets()[1]!.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');
  t.settle((rs) => (rs.metadata!.name === oldName ? rs.spec!.replicas! : 0));
  await t.sync();
  assert.deepEqual(t.sizes(), [3, 2]);
  await t.sync();
  // Nothing more until new pods are available: 3 available is the minimum.
  assert.deepEqual(t.sizes(), [3, 2]);
  t.settle();
  await t.sync();
  assert.deepEqual(t.sizes(), [1, 2]);
  for (let i = 0; i < 6; i++) {
    t.settle();
    await t.sync();
  }
  assert.deepEqual(t.sizes(), [0, 4]);
  assert.deepEqual(t.recorder.events.slice(0, 4), [
    `Normal ScalingReplicaSet Scaled up replica set ${newName} from 0 to 1`,
    `Normal ScalingReplicaSet Scaled down replica set ${oldName} from 4 to 3`,
    `Normal ScalingReplicaSet Scaled up replica set ${newName} from 1 to 2`,
    `Normal ScalingReplicaSet Scaled down replica set ${oldName} from 3 to 1`,
  ]);
  assert.equal(t.condition('Progressing')?.reason, 'NewReplicaSetAvailable');
  assert.equal(t.current().status?.updatedReplicas, 4);
});

test('resizing mid-rollout shares the new replicas in proportion to the ReplicaSets sizes', async () => {
  const t = setup(deployment(10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
  await t.sync();
  t.settle();
  await t.sync();
  t.clock.step(1000);
  t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  await t.sync();
  // Keep the rollout stuck: no new pod becomes available.
  t.settle((rs) => (rs.spec!.template!.spec!.containers[0]!.image === 'nginx:1' ? rs.spec!.replicas! : 0));
  await t.sync();
  assert.deepEqual(t.sizes(), [8, 5]);
  t.recorder.events.length = 0;
  t.edit((d) => (d.spec!.replicas = 15));
  await t.sync();
  // 15 + 3 allowed, 5 to add: the old gets round(8*18/13)-8 = 3, the new round(5*18/13)-5 = 2.
  assert.deepEqual(t.sizes(), [11, 7]);
  const [oldRs, newRs] = t.sets();
  assert.deepEqual(t.recorder.events, [
    `Normal ScalingReplicaSet Scaled up replica set ${oldRs!.metadata!.name} from 8 to 11`,
    `Normal ScalingReplicaSet Scaled up replica set ${newRs!.metadata!.name} from 5 to 7`,
  ]);
  assert.equal(newRs!.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'], '15');
  assert.equal(newRs!.metadata!.annotations!['deployment.kubernetes.io/max-replicas'], '18');
});

test('no progress for progressDeadlineSeconds sets Progressing=False ProgressDeadlineExceeded', async () => {
  const t = setup(deployment(2, { progressDeadlineSeconds: 10 }));
  await t.sync();
  const name = t.sets()[0]!.metadata!.name;
  t.settle(() => 0);
  // The pods appearing is progress (ReplicaSetUpdated); the deadline counts from here.
  await t.sync();
  assert.equal(t.condition('Progressing')?.reason, 'ReplicaSetUpdated');
  t.clock.step(5_000);
  await t.sync();
  assert.equal(t.condition('Progressing')?.status, 'True');
  // Not timed out yet: the controller asked to look again right after the deadline.
  t.clock.step(6_000);
  await t.sync();
  const progressing = t.condition('Progressing');
  assert.equal(progressing?.status, 'False');
  assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
  assert.equal(progressing?.message, `ReplicaSet "${name}" has timed out progressing.`);
  // Progress after the deadline clears it.
  t.settle();
  await t.sync();
  assert.equal(t.condition('Progressing')?.reason, 'NewReplicaSetAvailable');
});

test('a paused Deployment does not roll out; pause and resume are recorded in Progressing', async () => {
  const t = setup(deployment(2));
  await t.sync();
  t.settle();
  await t.sync();
  t.edit((d) => {
    d.spec!.paused = true;
    d.spec!.template!.spec!.containers[0]!.image = 'nginx:2';
  });
  await t.sync();
  assert.equal(t.sets().length, 1);
  assert.equal(t.condition('Progressing')?.status, 'Unknown');
  assert.equal(t.condition('Progressing')?.reason, 'DeploymentPaused');
  assert.equal(t.condition('Progressing')?.message, 'Deployment is paused');
  // Scaling still works while paused.
  t.edit((d) => (d.spec!.replicas = 3));
  await t.sync();
  assert.deepEqual(t.sizes(), [3]);
  t.edit((d) => (d.spec!.paused = false));
  await t.sync();
  assert.equal(t.sets().length, 2);
  assert.equal(t.condition('Progressing')?.reason, 'NewReplicaSetCreated');
});

test('old ReplicaSets beyond revisionHistoryLimit are deleted once empty, oldest first', async () => {
  const t = setup(deployment(1, { revisionHistoryLimit: 1 }));
  for (const image of ['nginx:1', 'nginx:2', 'nginx:3', 'nginx:4']) {
    t.clock.step(1000);
    t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = image));
    for (let i = 0; i < 5; i++) {
      t.settle();
      await t.sync();
    }
  }
  const revisions = t.sets().map((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision']);
  assert.deepEqual(revisions, ['3', '4']);
});

test('rolling back to an old template re-uses its ReplicaSet with a new revision and remembers the old one', async () => {
  const t = setup(deployment(1));
  await t.sync();
  t.settle();
  await t.sync();
  t.clock.step(1000);
  t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  for (let i = 0; i < 4; i++) {
    t.settle();
    await t.sync();
  }
  t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = 'nginx:1'));
  for (let i = 0; i < 4; i++) {
    t.settle();
    await t.sync();
  }
  const [first, second] = t.sets();
  assert.equal(t.sets().length, 2);
  assert.equal(first!.metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(first!.metadata!.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.deepEqual(t.sizes(), [1, 0]);
  assert.equal(second!.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');
  assert.equal(t.current().metadata!.annotations!['deployment.kubernetes.io/revision'], '3');
});

test('Recreate scales the old ReplicaSet to zero before creating the new one', async () => {
  const t = setup(deployment(2, { strategy: { type: 'Recreate' } }));
  await t.sync();
  t.settle();
  await t.sync();
  t.clock.step(1000);
  t.edit((d) => (d.spec!.template!.spec!.containers[0]!.image = 'nginx:2'));
  await t.sync();
  assert.deepEqual(t.sizes(), [0]);
  // The old ReplicaSet still reports pods: wait.
  await t.sync();
  assert.equal(t.sets().length, 1);
  t.settle();
  await t.sync();
  assert.deepEqual(t.sizes(), [0, 2]);
});

test('an orphan ReplicaSet matching the selector and template is adopted as the new one', async () => {
  const d = deployment(2);
  const t = setup(d);
  t.replicaSetApi.external({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'handmade', namespace: 'ns', uid: 'rs-uid', labels: { app: 'web' }, creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: structuredClone(d.spec!.template) },
  } as KubeObject);
  await t.sync();
  await t.sync();
  assert.equal(t.sets().length, 1);
  const [rs] = t.sets();
  assert.equal(rs!.metadata!.ownerReferences?.[0]?.uid, 'd-uid');
  assert.equal(rs!.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
  assert.equal(t.current().metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
});

test('Available stays True while at most maxUnavailable replicas are unavailable', async () => {
  const t = setup(deployment(4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
  await t.sync();
  t.settle(() => 3);
  await t.sync();
  assert.equal(t.condition('Available')?.status, 'True');
  assert.equal(t.current().status?.unavailableReplicas, 1);
  t.settle(() => 2);
  await t.sync();
  assert.equal(t.condition('Available')?.status, 'False');
  assert.equal(t.condition('Available')?.reason, 'MinimumReplicasUnavailable');
});
