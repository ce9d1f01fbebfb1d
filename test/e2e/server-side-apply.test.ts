// Server-side apply through the real kubectl: field ownership in managedFields, conflicts and
// --force-conflicts, removal of fields dropped from the configuration, and the switch from
// client-side apply.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  // The Deployments here are API objects only: a deployment controller writing status and
  // annotations between steps would change the resourceVersions and managedFields compared.
  cluster = await startCluster({ extraArgs: ['--disable-controller-manager'] });
});
after(async () => {
  await cluster?.destroy();
});

const deployment = (name: string, options: { replicas?: number; image?: string; labels?: Record<string, string> } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: ${JSON.stringify(options.labels ?? { app: name })}
spec:
  ${options.replicas === undefined ? '' : `replicas: ${options.replicas}`}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: ${options.image ?? 'nginx:1'}, ports: [{containerPort: 80}]}]
`;

const getJson = async (name: string) => JSON.parse(await cluster.ok(['get', 'deployment', name, '-o', 'json', '--show-managed-fields']));

test('apply --server-side creates, records an Apply entry, and a repeat changes nothing', async () => {
  assert.match(await cluster.ok(['apply', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 2 }) }), /deployment.apps\/web serverside-applied/);
  const first = await getJson('web');
  const entry = first.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl');
  assert.equal(entry.operation, 'Apply');
  assert.equal(entry.fieldsType, 'FieldsV1');
  assert.deepEqual(Object.keys(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']), ['k:{"name":"c"}']);
  await cluster.ok(['apply', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 2 }) });
  assert.equal((await getJson('web')).metadata.resourceVersion, first.metadata.resourceVersion, 'a no-op apply stores nothing');
});

test('a field dropped from the applied configuration is removed from the object', async () => {
  await cluster.ok(['apply', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 2, labels: { app: 'web', tier: 'front' } }) });
  assert.equal((await getJson('web')).metadata.labels.tier, 'front');
  await cluster.ok(['apply', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 2 }) });
  assert.equal((await getJson('web')).metadata.labels.tier, undefined);
});

test('a field another manager changed is a conflict until --force-conflicts takes it', async () => {
  await cluster.ok(['scale', 'deployment', 'web', '--replicas=5']);
  const refused = await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 3 }) });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "kubectl[^"]*" with subresource "scale" using apps\/v1: \.spec\.replicas/);
  assert.equal((await getJson('web')).spec.replicas, 5);
  await cluster.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: deployment('web', { replicas: 3 }) });
  const forced = await getJson('web');
  assert.equal(forced.spec.replicas, 3);
  const scaleEntry = forced.metadata.managedFields.find((e: { subresource?: string }) => e.subresource === 'scale');
  assert.ok(!scaleEntry || !scaleEntry.fieldsV1?.['f:spec']?.['f:replicas'], 'the scale manager no longer owns replicas');
});

test('ordinary writes record Update entries per manager, as --show-managed-fields shows upstream', async () => {
  await cluster.ok(['apply', '-f', '-'], { input: deployment('classic') });
  await cluster.ok(['label', 'deployment', 'classic', 'team=a']);
  const managers = (await getJson('classic')).metadata.managedFields.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`);
  assert.ok(managers.includes('kubectl-client-side-apply/Update'), managers.join(','));
  assert.ok(managers.includes('kubectl-label/Update'), managers.join(','));
});

test('an object made by client-side apply switches to server-side apply', async () => {
  await cluster.ok(['apply', '--server-side', '-f', '-'], { input: deployment('classic', { image: 'nginx:2' }) });
  const switched = await getJson('classic');
  assert.equal(switched.spec.template.spec.containers[0].image, 'nginx:2');
  const managers = switched.metadata.managedFields.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`);
  assert.ok(managers.includes('kubectl/Apply'), managers.join(','));
  assert.ok(!managers.includes('kubectl-client-side-apply/Update'), `client-side ownership was handed over: ${managers.join(',')}`);
});

test('apply --server-side --dry-run=server and kubectl diff --server-side change nothing', async () => {
  const before = await getJson('web');
  assert.match(await cluster.ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: deployment('web', { replicas: 9 }) }), /serverside-applied \(server dry run\)/);
  const diff = await cluster.kubectl(['diff', '--server-side', '-f', '-'], { input: deployment('web', { replicas: 9 }) });
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /-  replicas: 3\n\+  replicas: 9/);
  assert.equal((await getJson('web')).metadata.resourceVersion, before.metadata.resourceVersion);
});
