// The controller manager inside `k8ts server`: the namespace controller empties and removes
// deleted namespaces; the service account controller and the root CA publisher give every
// namespace its "default" ServiceAccount and "kube-root-ca.crt" ConfigMap.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});


const getJson = (args: string[]): Promise<any> => cluster.json(args);

async function gone(args: string[]): Promise<true | undefined> {
  const result = await cluster.kubectl(['get', ...args]);
  return result.code !== 0 && /not found/i.test(result.stderr) ? true : undefined;
}

test('the controller manager holds the kube-system/kube-controller-manager lease', async () => {
  const lease = await eventually('the lease', () => getJson(['lease', 'kube-controller-manager', '-n', 'kube-system']));
  assert.ok(lease.spec.holderIdentity, 'a holder');
});

test('every namespace gets a default ServiceAccount and a kube-root-ca.crt ConfigMap with the cluster CA', async () => {
  const caPem = readFileSync(join(cluster.dataDir, 'tls', 'ca.crt'), 'utf8');
  await cluster.ok(['create', 'namespace', 'team-a']);
  for (const ns of ['team-a', 'default', 'kube-system', 'kube-public']) {
    await eventually(`serviceaccount default in ${ns}`, () => getJson(['serviceaccount', 'default', '-n', ns]));
    const configMap = await eventually(`kube-root-ca.crt in ${ns}`, () => getJson(['configmap', 'kube-root-ca.crt', '-n', ns]));
    assert.equal(configMap.data['ca.crt'], caPem);
    assert.match(configMap.metadata.annotations['kubernetes.io/description'], /^Contains a CA bundle that can be used to verify the kube-apiserver/);
  }
});

test('a deleted default ServiceAccount and kube-root-ca.crt are recreated, and an edited kube-root-ca.crt is restored', async () => {
  const caPem = readFileSync(join(cluster.dataDir, 'tls', 'ca.crt'), 'utf8');
  await cluster.ok(['create', 'namespace', 'team-b']);
  const first = await eventually('serviceaccount default', () => getJson(['serviceaccount', 'default', '-n', 'team-b']));
  await eventually('kube-root-ca.crt', () => getJson(['configmap', 'kube-root-ca.crt', '-n', 'team-b']));
  await cluster.ok(['delete', 'serviceaccount', 'default', '-n', 'team-b']);
  await cluster.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'team-b']);
  await eventually('a new default serviceaccount', async () => {
    const sa = await getJson(['serviceaccount', 'default', '-n', 'team-b']);
    return sa && sa.metadata.uid !== first.metadata.uid ? sa : undefined;
  });
  await eventually('a new kube-root-ca.crt', () => getJson(['configmap', 'kube-root-ca.crt', '-n', 'team-b']));
  await cluster.ok(['patch', 'configmap', 'kube-root-ca.crt', '-n', 'team-b', '--type=merge', '-p', '{"data":{"ca.crt":"tampered"}}']);
  await eventually('the CA restored', async () => {
    const configMap = await getJson(['configmap', 'kube-root-ca.crt', '-n', 'team-b']);
    return configMap?.data?.['ca.crt'] === caPem ? true : undefined;
  });
});

test('a namespace deleted with content is Terminating, emptied, then removed', async () => {
  await cluster.ok(['create', 'namespace', 'doomed']);
  await cluster.ok(['create', 'configmap', 'settings', '-n', 'doomed', '--from-literal=a=b']);
  await cluster.ok(['create', 'secret', 'generic', 'token', '-n', 'doomed', '--from-literal=a=b']);
  await cluster.ok(['create', 'deployment', 'web', '-n', 'doomed', '--image=nginx']);
  await cluster.ok(['delete', 'namespace', 'doomed', '--wait=false']);
  assert.match(await cluster.ok(['get', 'ns', 'doomed']), /doomed\s+Terminating/);
  await eventually('namespace doomed removed', () => gone(['namespace', 'doomed']));
  // Content of a namespace with the same name does not come back.
  await cluster.ok(['create', 'namespace', 'doomed']);
  assert.equal((await getJson(['configmap', 'settings', '-n', 'doomed'])), undefined);
  assert.equal((await getJson(['deployment', 'web', '-n', 'doomed'])), undefined);
});

test('content held by a finalizer keeps the namespace Terminating with upstream conditions until the finalizer is removed', async () => {
  await cluster.ok(['create', 'namespace', 'held']);
  await cluster.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pinned\n  namespace: held\n  finalizers: [example.com/hold]\n' });
  await cluster.ok(['delete', 'namespace', 'held', '--wait=false']);
  const conditions = await eventually('content conditions', async () => {
    const ns = await getJson(['namespace', 'held']);
    const byType = new Map<string, any>((ns?.status?.conditions ?? []).map((c: any) => [c.type, c]));
    return byType.get('NamespaceFinalizersRemaining')?.status === 'True' ? byType : undefined;
  });
  assert.deepEqual(
    { status: conditions.get('NamespaceContentRemaining')?.status, reason: conditions.get('NamespaceContentRemaining')?.reason, message: conditions.get('NamespaceContentRemaining')?.message },
    { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' },
  );
  assert.equal(conditions.get('NamespaceFinalizersRemaining').reason, 'SomeFinalizerRemain');
  assert.equal(conditions.get('NamespaceFinalizersRemaining').message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  assert.equal(conditions.get('NamespaceDeletionDiscoveryFailure').status, 'False');
  assert.equal(conditions.get('NamespaceDeletionDiscoveryFailure').reason, 'ResourcesDiscovered');
  assert.equal(conditions.get('NamespaceDeletionContentFailure').reason, 'ContentDeleted');
  const ns = await getJson(['namespace', 'held']);
  assert.equal(ns.status.phase, 'Terminating');
  assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
  await cluster.ok(['patch', 'configmap', 'pinned', '-n', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await eventually('namespace held removed', () => gone(['namespace', 'held']), 40_000);
});
