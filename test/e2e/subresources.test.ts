// Subresources on the wire: status writes change only status and main writes only the rest;
// pods/binding assigns a node once; scale reads and writes spec.replicas; the node-agent routes
// answer a clear error until the agent exists; dry-run on update, patch and delete stores nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';
import { call, credentialsFrom, type Credentials } from './http-client.js';

let cluster: TestCluster;
let admin: Credentials;
before(async () => {
  cluster = await startCluster();
  admin = credentialsFrom(cluster.kubeconfig);
});
after(async () => {
  await cluster?.destroy();
});

const podPath = '/api/v1/namespaces/default/pods';
const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const mergePatch = { 'Content-Type': 'application/merge-patch+json' };

test('a status write cannot change spec, and a main-resource write cannot change status', async () => {
  await call(admin, 'POST', podPath, { body: pod('s') });
  const viaStatus = await call(admin, 'PATCH', `${podPath}/s/status`, { body: JSON.stringify({ spec: { activeDeadlineSeconds: 5 }, status: { message: 'hello' } }), headers: mergePatch });
  assert.equal(viaStatus.status, 200);
  const afterStatus = viaStatus.json<{ spec: { activeDeadlineSeconds?: number }; status: { message?: string } }>();
  assert.equal(afterStatus.status.message, 'hello');
  assert.equal(afterStatus.spec.activeDeadlineSeconds, undefined);
  const viaMain = await call(admin, 'PATCH', `${podPath}/s`, { body: JSON.stringify({ metadata: { labels: { a: 'b' } }, status: { message: 'changed' } }), headers: mergePatch });
  assert.equal(viaMain.status, 200);
  const afterMain = viaMain.json<{ metadata: { labels: Record<string, string> }; status: { message?: string } }>();
  assert.equal(afterMain.metadata.labels.a, 'b');
  assert.equal(afterMain.status.message, 'hello');
});

test('pods/binding assigns a node once and sets PodScheduled', async () => {
  await call(admin, 'POST', podPath, { body: pod('b') });
  const binding = (node: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
  assert.equal((await call(admin, 'POST', `${podPath}/b/binding`, { body: binding('node-1') })).status, 201);
  const bound = (await call(admin, 'GET', `${podPath}/b`)).json<{ spec: { nodeName: string }; status: { conditions: { type: string; status: string }[] } }>();
  assert.equal(bound.spec.nodeName, 'node-1');
  assert.ok(bound.status.conditions.some((c) => c.type === 'PodScheduled' && c.status === 'True'));
  const again = await call(admin, 'POST', `${podPath}/b/binding`, { body: binding('node-2') });
  assert.equal(again.status, 409);
  assert.match(again.json<{ message: string }>().message, /is already assigned to node "node-1"/);
});

test('a pod bound to a node is deleted gracefully; grace 0 removes it at once', async () => {
  const deleted = await call(admin, 'DELETE', `${podPath}/b`);
  assert.equal(deleted.status, 200);
  const terminating = (await call(admin, 'GET', `${podPath}/b`)).json<{ metadata: { deletionTimestamp?: string; deletionGracePeriodSeconds?: number } }>();
  assert.ok(terminating.metadata.deletionTimestamp);
  assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
  await call(admin, 'DELETE', `${podPath}/b?gracePeriodSeconds=0`);
  assert.equal((await call(admin, 'GET', `${podPath}/b`)).status, 404);
});

test('the scale subresource reads and writes replicas as an autoscaling/v1 Scale', async () => {
  await cluster.ok(['create', 'deployment', 'sc', '--image=nginx', '--replicas=2']);
  const scale = (await call(admin, 'GET', '/apis/apps/v1/namespaces/default/deployments/sc/scale')).json<{ kind: string; apiVersion: string; spec: { replicas: number }; status: { selector: string } }>();
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.apiVersion, 'autoscaling/v1');
  assert.equal(scale.spec.replicas, 2);
  assert.equal(scale.status.selector, 'app=sc');
  await cluster.ok(['scale', 'deployment', 'sc', '--replicas=4']);
  assert.equal(await cluster.ok(['get', 'deploy', 'sc', '-o', 'jsonpath={.spec.replicas}']), '4');
  const mismatch = await cluster.kubectl(['scale', 'deployment', 'sc', '--replicas=1', '--current-replicas=2']);
  assert.match(mismatch.stderr, /Expected replicas to be 2, was 4/);
});

test('pods/log of a pod no node has taken yet is empty, as upstream; exec needs an upgrade', async () => {
  await call(admin, 'POST', podPath, { body: pod('l') });
  const logs = await cluster.kubectl(['logs', 'l']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, '');
  const exec = await call(admin, 'POST', `${podPath}/l/exec?command=true&stdout=1`);
  assert.equal(exec.status, 400);
  assert.equal(exec.json<{ message: string }>().message, 'Upgrade request required');
});

test('dryRun=All on update, patch and delete stores nothing', async () => {
  const before = (await call(admin, 'GET', `${podPath}/l`)).json<{ metadata: { resourceVersion: string; labels?: Record<string, string> } }>();
  const patched = await call(admin, 'PATCH', `${podPath}/l?dryRun=All`, { body: '{"metadata":{"labels":{"dry":"run"}}}', headers: mergePatch });
  assert.equal(patched.json<{ metadata: { labels: Record<string, string> } }>().metadata.labels.dry, 'run');
  const deleted = await call(admin, 'DELETE', `${podPath}/l?dryRun=All`);
  assert.equal(deleted.status, 200);
  const after = (await call(admin, 'GET', `${podPath}/l`)).json<{ metadata: { resourceVersion: string; labels?: Record<string, string> } }>();
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.equal(after.metadata.labels?.dry, undefined);
});
