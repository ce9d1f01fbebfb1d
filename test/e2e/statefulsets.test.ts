// The StatefulSet controller on simulated nodes: stable names created in order (each Running and
// Ready before the next), deleted in reverse, pods that come back under the same name with the
// same claim, rolling updates from the highest ordinal down to a partition, and the real
// kubectl's rollout status, history and undo.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

/** The controller and the simulated kubelet act within a second or two. */
/** How long we watch for something that must not happen (a pod created or deleted too early). */
const quietMs = 1_500;
const notReady = 'sim.k8ts.io/not-ready';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '3'] });
});
after(async () => {
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp): Promise<string> => cluster.waitFor(args, expected);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const podNames = (selector: string) => cluster.ok(['get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}']);

function statefulSet(name: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name }, annotations }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'registry.local/app:v1' }] } },
      ...spec,
    },
  });
}

test('OrderedReady: web-0 first, web-1 only once web-0 is Ready, each with its stable identity', async () => {
  await cluster.ok(['create', '-f', '-'], { input: statefulSet('web', {}, { [notReady]: 'true' }) });
  await waitFor(['get', 'pod', 'web-0', '-o', 'jsonpath={.status.phase}'], /^Running$/);
  await sleep(quietMs);
  assert.equal(await podNames('app=web'), 'web-0', 'web-1 waits while web-0 is not Ready');
  await cluster.ok(['annotate', 'pod', 'web-0', `${notReady}=false`, '--overwrite']);
  await waitFor(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'], /^web-0 web-1$/);
  await sleep(quietMs);
  assert.equal(await podNames('app=web'), 'web-0 web-1', 'web-2 waits for web-1');
  await cluster.ok(['annotate', 'pod', 'web-1', `${notReady}=false`, '--overwrite']);
  await waitFor(['get', 'pod', 'web-2', '-o', 'jsonpath={.status.phase}'], /^Running$/);
  await cluster.ok(['annotate', 'pod', 'web-2', `${notReady}=false`, '--overwrite']);
  await cluster.ok(['rollout', 'status', 'statefulset/web', '--timeout=20s']);

  const pod = JSON.parse(await cluster.ok(['get', 'pod', 'web-1', '-o', 'json']));
  assert.equal(pod.spec.hostname, 'web-1');
  assert.equal(pod.spec.subdomain, 'web');
  assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod.metadata.labels['apps.kubernetes.io/pod-index'], '1');
  assert.equal(pod.metadata.ownerReferences[0].kind, 'StatefulSet');
  const set = JSON.parse(await cluster.ok(['get', 'statefulset', 'web', '-o', 'json']));
  assert.equal(pod.metadata.labels['controller-revision-hash'], set.status.updateRevision);
  assert.deepEqual(
    { replicas: set.status.replicas, ready: set.status.readyReplicas, available: set.status.availableReplicas, current: set.status.currentReplicas, updated: set.status.updatedReplicas },
    { replicas: 3, ready: 3, available: 3, current: 3, updated: 3 },
  );
  assert.equal(set.status.currentRevision, set.status.updateRevision);
  assert.equal(set.status.observedGeneration, set.metadata.generation);
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=web,involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
  for (const ordinal of [0, 1, 2]) assert.match(events, new RegExp(`SuccessfulCreate create Pod web-${ordinal} in StatefulSet web successful`));
});

test('a rolling update with a partition replaces only the ordinals at or above it, highest first; rollout history and undo work', async () => {
  // Revision 2: pods that are Ready from the start (the first template held them back).
  await cluster.ok(['patch', 'statefulset', 'web', '--type=merge', '-p', JSON.stringify({ spec: { template: { metadata: { annotations: { [notReady]: 'false' } } } } })]);
  await cluster.ok(['rollout', 'status', 'statefulset/web', '--timeout=20s']);
  await waitFor(['get', 'statefulset', 'web', '-o', 'jsonpath={.status.currentReplicas}/{.status.updatedReplicas}'], /^3\/3$/);
  // Revision 3: a new image, rolled out only at ordinals >= 2.
  await cluster.ok(['patch', 'statefulset', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}']);
  await cluster.ok(['set', 'image', 'statefulset/web', 'app=registry.local/app:v2']);
  const status = await cluster.ok(['rollout', 'status', 'statefulset/web', '--timeout=20s']);
  assert.match(status, /partitioned roll out complete: 1 new pods have been updated/);
  const images = () => cluster.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}']);
  assert.equal((await images()).trim(), 'web-0=registry.local/app:v1 web-1=registry.local/app:v1 web-2=registry.local/app:v2');

  await cluster.ok(['patch', 'statefulset', 'web', '--type=merge', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
  await cluster.ok(['rollout', 'status', 'statefulset/web', '--timeout=20s']);
  await waitFor(['get', 'statefulset', 'web', '-o', 'jsonpath={.status.currentReplicas}/{.status.updatedReplicas}'], /^3\/3$/);
  assert.equal((await images()).trim(), 'web-0=registry.local/app:v2 web-1=registry.local/app:v2 web-2=registry.local/app:v2');
  const set = JSON.parse(await cluster.ok(['get', 'statefulset', 'web', '-o', 'json']));
  assert.equal(set.status.currentRevision, set.status.updateRevision);

  const history = await cluster.ok(['rollout', 'history', 'statefulset/web']);
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+<none>\n\n$/);
  assert.match(await cluster.ok(['rollout', 'history', 'statefulset/web', '--revision=2']), /Image:\s+registry\.local\/app:v1/);
  assert.match(await cluster.ok(['rollout', 'undo', 'statefulset/web']), /statefulset.apps\/web rolled back/);
  await cluster.ok(['rollout', 'status', 'statefulset/web', '--timeout=20s']);
  await waitFor(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {end}'], /^(registry\.local\/app:v1 ){3}$/);
  // Undo re-used revision 2 under the next number rather than copying it.
  assert.match(await cluster.ok(['rollout', 'history', 'statefulset/web']), /\n1\s+<none>\n3\s+<none>\n4\s+<none>\n\n$/);
  const numbers = (await cluster.ok(['get', 'controllerrevisions', '-l', 'app=web', '-o', 'jsonpath={.items[*].revision}'])).split(' ').sort();
  assert.deepEqual(numbers, ['1', '3', '4']);
});

test('scaling down deletes the highest ordinal first and waits for it to be gone before the next', async () => {
  // A finalizer keeps web-2 Terminating, which must hold back the deletion of web-1.
  await cluster.ok(['patch', 'pod', 'web-2', '--type=merge', '-p', '{"metadata":{"finalizers":["e2e.k8ts.io/hold"]}}']);
  await cluster.ok(['scale', 'statefulset', 'web', '--replicas=1']);
  await waitFor(['get', 'pod', 'web-2', '-o', 'jsonpath={.metadata.deletionTimestamp}'], /\d/);
  await sleep(quietMs);
  assert.equal(await cluster.ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '', 'web-1 stays while web-2 terminates');
  await cluster.ok(['patch', 'pod', 'web-2', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
  await waitFor(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'], /^web-0$/);
  await waitFor(['get', 'statefulset', 'web', '-o', 'jsonpath={.status.replicas}/{.status.readyReplicas}'], /^1\/1$/);
});

test('a deleted pod comes back with the same name and the same PersistentVolumeClaim (Parallel)', async () => {
  const claims = { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] };
  await cluster.ok(['create', '-f', '-'], { input: statefulSet('data', { replicas: 2, podManagementPolicy: 'Parallel', ...claims }) });
  // Without a volume provisioner the claims stay Pending, and so do the pods; Parallel creates both anyway.
  await waitFor(['get', 'pods', '-l', 'app=data', '-o', 'jsonpath={.items[*].metadata.name}'], /^data-0 data-1$/);
  await waitFor(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'], /www-data-0 www-data-1/);
  const claimUid = await cluster.ok(['get', 'pvc', 'www-data-1', '-o', 'jsonpath={.metadata.uid}']);
  const podUid = await cluster.ok(['get', 'pod', 'data-1', '-o', 'jsonpath={.metadata.uid}']);
  assert.equal(await cluster.ok(['get', 'pod', 'data-1', '-o', 'jsonpath={.spec.volumes[?(@.name=="www")].persistentVolumeClaim.claimName}']), 'www-data-1');
  assert.deepEqual(JSON.parse(await cluster.ok(['get', 'pvc', 'www-data-1', '-o', 'jsonpath={.metadata.labels}'])), { app: 'data' });

  await cluster.ok(['delete', 'pod', 'data-1', '--wait=false']);
  await waitFor(['get', 'pod', 'data-1', '-o', 'jsonpath={.metadata.uid}'], new RegExp(`^(?!${podUid}$).+`));
  assert.equal(await cluster.ok(['get', 'pvc', 'www-data-1', '-o', 'jsonpath={.metadata.uid}']), claimUid);
  assert.equal(await cluster.ok(['get', 'pod', 'data-1', '-o', 'jsonpath={.spec.volumes[?(@.name=="www")].persistentVolumeClaim.claimName}']), 'www-data-1');
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=data,involvedObject.kind=StatefulSet', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  assert.match(events, /create Claim www-data-0 Pod data-0 in StatefulSet data success/);
  assert.match(events, /create Claim www-data-1 Pod data-1 in StatefulSet data success/);
});

test('persistentVolumeClaimRetentionPolicy Delete: the claim of a scaled-away pod goes with it, the rest go with the set', async () => {
  const spec = {
    replicas: 2,
    podManagementPolicy: 'Parallel',
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    volumeClaimTemplates: [{ metadata: { name: 'tmp' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  };
  await cluster.ok(['create', '-f', '-'], { input: statefulSet('cache', spec) });
  await waitFor(['get', 'pvc', 'tmp-cache-0', 'tmp-cache-1', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {end}'], /^StatefulSet\/cache StatefulSet\/cache $/);
  await cluster.ok(['scale', 'statefulset', 'cache', '--replicas=1']);
  // The claim is handed to the pod before the pod is deleted, and the garbage collector follows.
  await waitFor(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'], /^(?!.*tmp-cache-1).*tmp-cache-0/);
  await cluster.ok(['delete', 'statefulset', 'cache', '--wait=false']);
  await waitFor(['get', 'pvc', '-o', 'jsonpath={.items[*].metadata.name}'], /^(?!.*tmp-cache-0)/);
  await waitFor(['get', 'pods', '-l', 'app=cache', '-o', 'name'], /^$/);
});
