// ReplicaSets and ReplicationControllers on simulated nodes, driven by the real kubectl: they keep
// their replica count through scaling and pod deletions, adopt matching orphans and release pods
// relabelled away, and report it in status and events as upstream does.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

/** Pod creation, scheduling and readiness on sim nodes take well under a second each. */

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '3'] });
});
after(async () => {
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp): Promise<string> => cluster.waitFor(args, expected);

function replicaSet(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

const podNames = async (selector: string): Promise<string[]> =>
  (await cluster.ok(['get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'])).split('\n').filter(Boolean);

test('a ReplicaSet scales up and down, replaces a deleted pod, and reports status and events', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: replicaSet('web', 3) });
  await waitFor(['get', 'rs', 'web', '-o', 'jsonpath={.status.replicas}/{.status.fullyLabeledReplicas}/{.status.readyReplicas}/{.status.availableReplicas}/{.status.observedGeneration}'], /^3\/3\/3\/3\/1$/);
  await cluster.ok(['scale', 'rs', 'web', '--replicas=5']);
  await waitFor(['get', 'rs', 'web', '-o', 'jsonpath={.status.readyReplicas}/{.status.observedGeneration}'], /^5\/2$/);
  await cluster.ok(['scale', 'rs', 'web', '--replicas=2']);
  await waitFor(['get', 'rs', 'web', '-o', 'jsonpath={.status.replicas}/{.status.readyReplicas}'], /^2\/2$/);
  await waitFor(['get', 'pods', '-l', 'app=web', '-o', 'name'], /^(pod\/web-\w+\n){2}$/);

  const [victim] = await podNames('app=web');
  assert.ok(victim);
  await cluster.ok(['delete', 'pod', victim, '--wait=false']);
  await waitFor(['get', 'rs', 'web', '-o', 'jsonpath={.status.readyReplicas}'], /^2$/);
  const after = await waitFor(['get', 'pods', '-l', 'app=web', '-o', 'name'], /^(pod\/web-\w+\n){2}$/);
  assert.doesNotMatch(after, new RegExp(`pod/${victim}\\n`));

  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicaSet,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  assert.match(events, /^SuccessfulCreate: Created pod: web-\w{5}$/m);
  assert.match(events, /^SuccessfulDelete: Deleted pod: web-\w{5}$/m);
  const source = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=web,reason=SuccessfulCreate', '-o', 'jsonpath={.items[0].source.component}']);
  assert.equal(source, 'replicaset-controller');
});

test('a matching orphan pod is adopted instead of creating one, and a relabelled pod is released and replaced', async () => {
  const orphan = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await cluster.ok(['apply', '-f', '-'], { input: orphan });
  await cluster.ok(['apply', '-f', '-'], { input: replicaSet('adopt', 1) });
  await waitFor(['get', 'pod', 'orphan', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}/{.metadata.ownerReferences[0].controller}'], /^ReplicaSet\/adopt\/true$/);
  await waitFor(['get', 'rs', 'adopt', '-o', 'jsonpath={.status.readyReplicas}'], /^1$/);
  assert.deepEqual(await podNames('app=adopt'), ['orphan']);

  await cluster.ok(['label', 'pod', 'orphan', 'app=gone', '--overwrite']);
  await waitFor(['get', 'pod', 'orphan', '-o', 'jsonpath={.metadata.ownerReferences}'], /^(\[\])?$/);
  await waitFor(['get', 'pods', '-l', 'app=adopt', '-o', 'name'], /^pod\/adopt-\w+\n$/);
});

test('a ReplicationController keeps its pods by its map selector', async () => {
  const rc = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy' },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await cluster.ok(['apply', '-f', '-'], { input: rc });
  await waitFor(['get', 'rc', 'legacy', '-o', 'jsonpath={.status.replicas}/{.status.readyReplicas}/{.status.availableReplicas}'], /^2\/2\/2$/);
  const owners = await cluster.ok(['get', 'pods', '-l', 'app=legacy', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].apiVersion}/{.metadata.ownerReferences[0].kind} {end}']);
  assert.equal(owners.trim(), 'v1/ReplicationController v1/ReplicationController');
  await cluster.ok(['scale', 'rc', 'legacy', '--replicas=0']);
  await waitFor(['get', 'pods', '-l', 'app=legacy', '-o', 'name'], /^$/);
  const source = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=legacy,reason=SuccessfulDelete', '-o', 'jsonpath={.items[0].source.component}']);
  assert.equal(source, 'replication-controller');
});
