// The garbage collector end to end with the real kubectl: ConfigMaps owning ConfigMaps (by uid),
// deleted with --cascade=background|foreground|orphan.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  await cluster?.destroy();
});

async function createConfigMap(name: string, owners: { name: string; block?: boolean }[] = [], extra: Record<string, unknown> = {}): Promise<string> {
  const ownerReferences = [];
  for (const owner of owners) {
    const uid = await cluster.ok(['get', 'configmap', owner.name, '-o', 'jsonpath={.metadata.uid}']);
    ownerReferences.push({ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid, ...(owner.block ? { blockOwnerDeletion: true } : {}) });
  }
  const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ownerReferences.length ? { ownerReferences } : {}), ...extra } };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(manifest) });
  return cluster.ok(['get', 'configmap', name, '-o', 'jsonpath={.metadata.uid}']);
}

async function exists(name: string): Promise<boolean> {
  const result = await cluster.kubectl(['get', 'configmap', name, '-o', 'name']);
  return result.code === 0;
}

const gone = (name: string) => eventually(`${name} to be deleted`, async () => ((await exists(name)) ? undefined : true), 15_000);

test('--cascade=background deletes the owner at once and its dependents after it', async () => {
  await createConfigMap('bg-owner');
  await createConfigMap('bg-child', [{ name: 'bg-owner' }]);
  await createConfigMap('bg-grandchild', [{ name: 'bg-child' }]);
  await cluster.ok(['delete', 'configmap', 'bg-owner', '--cascade=background']);
  assert.equal(await exists('bg-owner'), false);
  await gone('bg-child');
  await gone('bg-grandchild');
});

test('a dependent with two owners survives the deletion of one and keeps the other reference', async () => {
  await createConfigMap('two-a');
  await createConfigMap('two-b');
  await createConfigMap('two-child', [{ name: 'two-a' }, { name: 'two-b' }]);
  await cluster.ok(['delete', 'configmap', 'two-a']);
  await eventually('the dangling reference to be removed', async () => {
    const owners = await cluster.ok(['get', 'configmap', 'two-child', '-o', 'jsonpath={.metadata.ownerReferences[*].name}']);
    return owners === 'two-b' ? true : undefined;
  }, 15_000);
  await cluster.ok(['delete', 'configmap', 'two-b']);
  await gone('two-child');
});

test('--cascade=orphan removes the owner reference from dependents and keeps them', async () => {
  await createConfigMap('orphan-owner');
  await createConfigMap('orphan-child', [{ name: 'orphan-owner' }]);
  await cluster.ok(['delete', 'configmap', 'orphan-owner', '--cascade=orphan']);
  await gone('orphan-owner');
  assert.equal(await exists('orphan-child'), true);
  assert.equal(await cluster.ok(['get', 'configmap', 'orphan-child', '-o', 'jsonpath={.metadata.ownerReferences}']), '');
});

test('--cascade=foreground keeps the owner until blocking dependents are gone', async () => {
  await createConfigMap('fg-owner');
  // The blocking dependent is held by a finalizer of its own, so the order is observable.
  await createConfigMap('fg-blocker', [{ name: 'fg-owner', block: true }], { finalizers: ['example.com/hold'] });
  await createConfigMap('fg-free', [{ name: 'fg-owner' }]);
  await cluster.ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false']);
  await gone('fg-free');
  await eventually('the blocker to be marked for deletion', async () => ((await cluster.ok(['get', 'configmap', 'fg-blocker', '-o', 'jsonpath={.metadata.deletionTimestamp}'])) ? true : undefined), 15_000);
  assert.equal(await cluster.ok(['get', 'configmap', 'fg-owner', '-o', 'jsonpath={.metadata.finalizers}']), '["foregroundDeletion"]');
  assert.notEqual(await cluster.ok(['get', 'configmap', 'fg-owner', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '');
  await cluster.ok(['patch', 'configmap', 'fg-blocker', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await gone('fg-blocker');
  await gone('fg-owner');
});

test('a namespaced owner referenced from another namespace gets an OwnerRefInvalidNamespace event and the dependent is collected', async () => {
  await cluster.ok(['create', 'namespace', 'gc-other']);
  const uid = await createConfigMap('ns-owner');
  const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ns-stray', namespace: 'gc-other', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ns-owner', uid }] } };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(manifest) });
  await eventually('the stray dependent to be collected', async () => ((await cluster.kubectl(['get', 'configmap', 'ns-stray', '-n', 'gc-other'])).code !== 0 ? true : undefined), 15_000);
  const events = await cluster.ok(['get', 'events', '-n', 'gc-other', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
  assert.match(events, /OwnerRefInvalidNamespace ownerRef \[v1\/ConfigMap, namespace: gc-other, name: ns-owner, uid: [0-9a-f-]+\] does not exist in namespace "gc-other"/);
  assert.equal(await exists('ns-owner'), true);
});

test('kubectl delete deployment collects its ReplicaSet and Pods; --cascade=orphan keeps them without the reference', async () => {
  await cluster.ok(['create', 'deployment', 'web', '--image=busybox', '--replicas=2']);
  await cluster.ok(['create', 'deployment', 'kept', '--image=busybox', '--replicas=1']);
  const replicaSetsOf = async (app: string) => (await cluster.ok(['get', 'rs', '-l', `app=${app}`, '-o', 'name'])).trim();
  const podsOf = async (app: string) => (await cluster.ok(['get', 'pods', '-l', `app=${app}`, '-o', 'name'])).trim();
  await eventually('the pods of both deployments', async () => ((await podsOf('web')).split('\n').length === 2 && (await podsOf('kept')) !== '' ? true : undefined), 20_000);
  await cluster.ok(['delete', 'deployment', 'web']);
  await eventually('the ReplicaSet and Pods of web to be collected', async () => ((await replicaSetsOf('web')) === '' && (await podsOf('web')) === '' ? true : undefined), 20_000);
  await cluster.ok(['delete', 'deployment', 'kept', '--cascade=orphan']);
  const replicaSet = await replicaSetsOf('kept');
  assert.notEqual(replicaSet, '');
  assert.equal(await cluster.ok(['get', replicaSet, '-o', 'jsonpath={.metadata.ownerReferences}']), '');
  assert.notEqual(await podsOf('kept'), '');
});

test('custom resources own and are owned: a new CRD is watched within seconds and its objects collected', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.gc.example.com' },
    spec: {
      group: 'gc.example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
    },
  };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(crd) });
  await cluster.ok(['wait', '--for=condition=Established', 'crd/widgets.gc.example.com', '--timeout=20s']);
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'owner-widget' } }) });
  const widgetUid = await cluster.ok(['get', 'widget', 'owner-widget', '-o', 'jsonpath={.metadata.uid}']);
  const cmUid = await createConfigMap('cr-owner');
  await createConfigMap('widget-child', [], { ownerReferences: [{ apiVersion: 'gc.example.com/v1', kind: 'Widget', name: 'owner-widget', uid: widgetUid }] });
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'child-widget', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cr-owner', uid: cmUid }] } }) });
  await cluster.ok(['delete', 'widget', 'owner-widget']);
  await gone('widget-child');
  await cluster.ok(['delete', 'configmap', 'cr-owner']);
  await eventually('the child widget to be collected', async () => ((await cluster.kubectl(['get', 'widget', 'child-widget'])).code !== 0 ? true : undefined), 15_000);
});
