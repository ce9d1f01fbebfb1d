// The API server driven by the real kubectl 1.32: the everyday commands a user types.
import assert from 'node:assert/strict';
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});

// Paused, so the deployment controller creates no ReplicaSet and writes no revision annotation:
// generation and the table below show only what kubectl changed.
const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  paused: true
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
${extra}`;

test('kubectl version reports server 1.32 and the server prints its start-to-ready time', async () => {
  const out = JSON.parse(await cluster.ok(['version', '-o', 'json'])) as { serverVersion: { major: string; minor: string } };
  assert.equal(out.serverVersion.major, '1');
  assert.equal(out.serverVersion.minor, '32');
  assert.match(cluster.output(), /ready in \d+ ms/);
});

test('the system namespaces exist and kubectl get prints them as upstream does', async () => {
  const out = await cluster.ok(['get', 'namespaces']);
  assert.match(out, /^NAME\s+STATUS\s+AGE/m);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active`, 'm'));
});

test('kubectl api-resources lists built-in kinds with upstream short names', async () => {
  const out = await cluster.ok(['api-resources']);
  assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(out, /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m);
});

test('the kubernetes Service holds the first service IP', async () => {
  const out = await cluster.ok(['get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']);
  assert.equal(out, '10.96.0.1');
});

test('kubectl apply creates, updates and prunes fields of a Deployment, with defaults filled', async () => {
  assert.match(await cluster.ok(['apply', '-f', '-'], { input: deployment('nginx:1.25', '        env: [{name: A, value: "1"}]') }), /deployment.apps\/web created/);
  const created = JSON.parse(await cluster.ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.equal(created.spec.replicas, 1);
  assert.equal(created.spec.strategy.type, 'RollingUpdate');
  assert.equal(created.spec.strategy.rollingUpdate.maxSurge, '25%');
  assert.equal(created.spec.revisionHistoryLimit, 10);
  assert.equal(created.spec.progressDeadlineSeconds, 600);
  assert.equal(created.spec.template.spec.restartPolicy, 'Always');
  assert.equal(created.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(created.metadata.generation, 1);
  assert.match(await cluster.ok(['apply', '-f', '-'], { input: deployment('nginx:1.26') }), /deployment.apps\/web configured/);
  const updated = JSON.parse(await cluster.ok(['get', 'deploy', 'web', '-o', 'json']));
  assert.equal(updated.spec.template.spec.containers[0].image, 'nginx:1.26');
  assert.equal(updated.spec.template.spec.containers[0].env, undefined, 'env dropped from the file is removed');
  assert.equal(updated.metadata.generation, 2);
  assert.match(await cluster.ok(['apply', '-f', '-'], { input: deployment('nginx:1.26') }), /deployment.apps\/web unchanged/);
  const table = await cluster.ok(['get', 'deployments']);
  assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
  assert.match(table, /^web\s+0\/1\s+0\s+0\s+\d+s$/m);
});

test('kubectl label, annotate, patch (three types), set image and replace change the object', async () => {
  await cluster.ok(['create', 'configmap', 'settings', '--from-literal=a=1']);
  await cluster.ok(['label', 'configmap', 'settings', 'tier=backend']);
  await cluster.ok(['annotate', 'configmap', 'settings', 'note=hello']);
  await cluster.ok(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"b":"2"}}']);
  await cluster.ok(['patch', 'configmap', 'settings', '--type=json', '-p', '[{"op":"remove","path":"/data/a"}]']);
  await cluster.ok(['patch', 'configmap', 'settings', '-p', '{"data":{"c":"3"}}']);
  const cm = JSON.parse(await cluster.ok(['get', 'cm', 'settings', '-o', 'json']));
  assert.deepEqual(cm.data, { b: '2', c: '3' });
  assert.equal(cm.metadata.labels.tier, 'backend');
  assert.equal(cm.metadata.annotations.note, 'hello');
  await cluster.ok(['label', 'configmap', 'settings', 'tier-']);
  assert.equal(JSON.parse(await cluster.ok(['get', 'cm', 'settings', '-o', 'json'])).metadata.labels, undefined);
  cm.data = { replaced: 'yes' };
  delete cm.metadata.resourceVersion;
  await cluster.ok(['replace', '-f', '-'], { input: JSON.stringify(cm) });
  assert.deepEqual(JSON.parse(await cluster.ok(['get', 'cm', 'settings', '-o', 'json'])).data, { replaced: 'yes' });
  await cluster.ok(['set', 'image', 'deployment/web', 'web=nginx:1.27']);
  assert.equal(await cluster.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.27');
});

test('kubectl edit applies what the editor wrote', async () => {
  const editor = join(cluster.dataDir, 'editor.sh');
  writeFileSync(editor, '#!/bin/sh\nsed -i "s/replaced: .*/replaced: edited/" "$1"\n');
  chmodSync(editor, 0o755);
  await cluster.ok(['edit', 'configmap', 'settings'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
  assert.equal(await cluster.ok(['get', 'cm', 'settings', '-o', 'jsonpath={.data.replaced}']), 'edited');
});

test('validation failures read like upstream', async () => {
  const bad = await cluster.kubectl(['create', 'configmap', 'Bad_Name']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
  const noImage = await cluster.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n' });
  assert.match(noImage.stderr, /Pod "p" is invalid: spec.containers\[0\].image: Required value/);
  const dup = await cluster.kubectl(['create', 'configmap', 'settings']);
  assert.match(dup.stderr, /configmaps "settings" already exists/);
  const missing = await cluster.kubectl(['get', 'pod', 'nope']);
  assert.match(missing.stderr, /pods "nope" not found/);
});

test('a stale resourceVersion on update is a Conflict', async () => {
  const cm = JSON.parse(await cluster.ok(['get', 'cm', 'settings', '-o', 'json']));
  await cluster.ok(['label', 'configmap', 'settings', 'bump=1']);
  const stale = await cluster.kubectl(['replace', '-f', '-'], { input: JSON.stringify(cm) });
  assert.match(stale.stderr, /Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again/);
});

test('kubectl get -w streams changes as they happen', async () => {
  const watcher = cluster.kubectl(['get', 'configmaps', '-w', '--request-timeout=4s']);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await cluster.ok(['create', 'configmap', 'watched']);
  const result = await watcher;
  assert.match(result.stdout, /^watched\s+0\s+\d+s$/m);
});

test('services get cluster IPs from the range and node ports from 30000-32767', async () => {
  await cluster.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
  const svc = JSON.parse(await cluster.ok(['get', 'svc', 'np', '-o', 'json']));
  assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
  assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767);
  const out = await cluster.ok(['get', 'svc', 'np']);
  assert.match(out, new RegExp(`^np\\s+NodePort\\s+${svc.spec.clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80:${svc.spec.ports[0].nodePort}/TCP`, 'm'));
});

test('kubectl delete removes objects; a namespace with content is Terminating until emptied, then goes away', async () => {
  assert.match(await cluster.ok(['delete', 'deployment', 'web']), /deployment.apps "web" deleted/);
  assert.match((await cluster.kubectl(['get', 'deploy', 'web'])).stderr, /not found/);
  await cluster.ok(['create', 'namespace', 'scratch']);
  // A finalizer keeps this content (and so the namespace) around while we look at it.
  await cluster.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: scratch\n  finalizers: [example.com/hold]\n' });
  await cluster.ok(['delete', 'namespace', 'scratch', '--wait=false']);
  assert.match(await cluster.ok(['get', 'ns', 'scratch']), /scratch\s+Terminating/);
  const refused = await cluster.kubectl(['create', 'configmap', 'y', '-n', 'scratch']);
  assert.match(refused.stderr, /unable to create new content in namespace scratch because it is being terminated/);
  const noNs = await cluster.kubectl(['create', 'configmap', 'y', '-n', 'missing']);
  assert.match(noNs.stderr, /namespaces "missing" not found/);
  await cluster.ok(['patch', 'configmap', 'x', '-n', 'scratch', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  const removed = await cluster.kubectl(['wait', '--for=delete', 'namespace/scratch', '--timeout=40s']);
  assert.equal(removed.code, 0, removed.stderr);
});
