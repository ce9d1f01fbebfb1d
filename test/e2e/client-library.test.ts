// k8ts's own client library (src/client) against a real k8ts server: CRUD and watch through the
// resource client, an informer that survives a server restart and relists after a 410, and
// Lease-based leader election with two candidates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/api/object.js';
import {
  createEvent,
  DeletedFinalStateUnknown,
  isAlreadyExists,
  isConflict,
  isNotFound,
  LeaderElector,
  loadKubeconfig,
  RestClient,
  SharedInformerFactory,
  type ResourceRef,
  type Status,
} from '../../src/client/index.js';
import { freePort, startCluster, type TestCluster } from './harness.js';

const configMaps: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const namespaces: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };
const deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

let cluster: TestCluster;
let client: RestClient;
before(async () => {
  // The client library is under test here, not the controllers: keep namespaces free of
  // their objects (kube-root-ca.crt) so list and informer contents are exactly what the test wrote.
  cluster = await startCluster({ port: await freePort(), extraArgs: ['--disable-controller-manager'] });
  client = new RestClient({ ...loadKubeconfig(cluster.kubeconfig), userAgent: 'client-library-e2e' });
});
after(async () => {
  client?.close();
  await cluster?.destroy();
});

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

test('the resource client creates, reads, lists, updates, patches and deletes, with typed errors', async () => {
  await client.resource(namespaces).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crud' } });
  const cms = client.resource(configMaps);
  const created = await cms.create('crud', configMap('one', { a: '1' }, { app: 'web' }));
  assert.ok(created.metadata?.uid);
  await assert.rejects(cms.create('crud', configMap('one', {})), (error) => isAlreadyExists(error));
  await assert.rejects(cms.get('crud', 'missing'), (error) => isNotFound(error) && (error as Error).message === 'configmaps "missing" not found');

  const dryRun = await cms.create('crud', configMap('dry', {}), { dryRun: true });
  assert.equal(dryRun.metadata?.name, 'dry');
  await assert.rejects(cms.get('crud', 'dry'), isNotFound);

  for (const name of ['two', 'three']) await cms.create('crud', configMap(name, {}, { app: name === 'two' ? 'web' : 'db' }));
  const web = await cms.list('crud', { labelSelector: 'app=web' });
  assert.deepEqual(web.items.map((item) => item.metadata?.name).sort(), ['one', 'two']);
  const firstPage = await cms.list('crud', { limit: 2 });
  assert.equal(firstPage.items.length, 2);
  assert.ok(firstPage.metadata.continue);
  const secondPage = await cms.list('crud', { limit: 2, continue: firstPage.metadata.continue });
  assert.equal(secondPage.items.length, 1);
  assert.equal((await cms.list('crud', { fieldSelector: 'metadata.name=three' })).items.length, 1);

  const read = await cms.get('crud', 'one');
  const updated = await cms.update('crud', { ...read, data: { a: '2' } });
  assert.notEqual(updated.metadata?.resourceVersion, read.metadata?.resourceVersion);
  await assert.rejects(cms.update('crud', { ...read, data: { a: 'stale' } }), isConflict);

  const merged = await cms.patch('crud', 'one', { data: { b: '3' } }, 'merge');
  assert.deepEqual(merged.data, { a: '2', b: '3' });
  const jsonPatched = await cms.patch('crud', 'one', [{ op: 'remove', path: '/data/b' }], 'json');
  assert.deepEqual(jsonPatched.data, { a: '2' });
  const strategic = await cms.patch('crud', 'one', { metadata: { labels: { tier: 'front' } } }, 'strategic');
  assert.equal(strategic.metadata?.labels?.tier, 'front');
  const applied = await cms.patch('crud', 'applied', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { x: 'y' } }, 'apply', { fieldManager: 'e2e', force: true });
  assert.ok(applied.metadata?.managedFields?.some((entry) => entry.manager === 'e2e' && entry.operation === 'Apply'));

  await assert.rejects(cms.delete('crud', 'one', { preconditions: { uid: 'not-its-uid' } }), isConflict);
  const deleted = await cms.delete('crud', 'one', { gracePeriodSeconds: 0, propagationPolicy: 'Background' });
  assert.ok((deleted as Status).kind === 'Status' || (deleted as KubeObject).metadata?.name === 'one');
  await assert.rejects(cms.get('crud', 'one'), isNotFound);
});

test('updateStatus writes the status subresource only', async () => {
  const deploys = client.resource(deployments);
  const template = { metadata: { labels: { app: 'status' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const created = await deploys.create('crud', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'status' }, spec: { replicas: 1, selector: { matchLabels: { app: 'status' } }, template } });
  const written = await deploys.updateStatus('crud', { ...created, spec: { ...(created.spec as object), replicas: 5 }, status: { observedGeneration: 1, replicas: 1 } });
  assert.equal((written.status as { replicas: number }).replicas, 1);
  assert.equal((written.spec as { replicas: number }).replicas, 1, 'a status write cannot change spec');
});

test('a watch yields ADDED, MODIFIED and DELETED events from a resourceVersion, and createEvent records an Event', async () => {
  const cms = client.resource(configMaps);
  const start = await cms.list('crud', { limit: 1 });
  const stream = await cms.watch('crud', { resourceVersion: start.metadata.resourceVersion, fieldSelector: 'metadata.name=watched' });
  const created = await cms.create('crud', configMap('watched', { v: '1' }));
  await cms.patch('crud', 'watched', { data: { v: '2' } }, 'merge');
  await cms.delete('crud', 'watched');
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'DELETED') break;
  }
  assert.deepEqual(types, ['ADDED', 'MODIFIED', 'DELETED']);

  const event = await createEvent(client, { involvedObject: created, type: 'Normal', reason: 'Tested', message: 'seen by the watch', component: 'client-library-e2e' });
  const read = await client.resource({ group: '', version: 'v1', resource: 'events', namespaced: true }).get('crud', event.metadata!.name!);
  assert.equal(read.reason, 'Tested');
  assert.equal((read.involvedObject as { name: string; uid: string }).uid, created.metadata?.uid);
  assert.deepEqual(read.source, { component: 'client-library-e2e' });
});

test('two leader electors: exactly one leads, and the other takes over once it stops', async (t) => {
  const leading = new Set<string>();
  const timings = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 200 };
  const elector = (identity: string): LeaderElector =>
    new LeaderElector({
      client,
      namespace: 'default',
      name: 'e2e-leader',
      identity,
      ...timings,
      onStartedLeading: () => leading.add(identity),
      onStoppedLeading: () => leading.delete(identity),
    });
  const first = elector('first');
  const second = elector('second');
  t.after(() => Promise.all([first.stop(), second.stop()]));
  void first.run();
  void second.run();
  await eventually(() => leading.size === 1, 'one leader');
  // Several renew periods later there is still exactly one.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(leading.size, 1);
  const [leader, follower] = leading.has('first') ? [first, second] : [second, first];
  const followerName = leader === first ? 'second' : 'first';
  assert.equal(follower.isLeader(), false);

  const stoppedAtMs = Date.now();
  await leader.stop();
  await eventually(() => leading.has(followerName), 'the follower to take over', 5_000);
  // A released lease is taken within a retry period or two, not after the whole lease duration.
  assert.ok(Date.now() - stoppedAtMs < timings.leaseDurationMs, `took ${Date.now() - stoppedAtMs} ms`);
  assert.equal(leading.size, 1);
  const lease = await client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }).get('default', 'e2e-leader');
  assert.equal((lease.spec as { holderIdentity: string }).holderIdentity, followerName);
  assert.equal((lease.spec as { leaseTransitions: number }).leaseTransitions, 1);
  await follower.stop();
});

test('an informer sees adds, updates and deletes, survives a server restart and relists after a 410', async (t) => {
  await client.resource(namespaces).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'informed' } });
  const cms = client.resource(configMaps);
  await cms.create('informed', configMap('existing', { v: '1' }));
  const factory = new SharedInformerFactory(client, { namespace: 'informed' });
  t.after(() => factory.shutdown());
  const informer = factory.forResource(configMaps);
  assert.equal(factory.forResource(configMaps), informer, 'one informer per resource');
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (object) => seen.push(`add ${object.metadata?.name}`),
    onUpdate: (old, now) => old.metadata?.resourceVersion !== now.metadata?.resourceVersion && seen.push(`update ${now.metadata?.name}`),
    onDelete: (object) => seen.push(object instanceof DeletedFinalStateUnknown ? `unknown ${object.key}` : `delete ${object.metadata?.name}`),
  });
  factory.start();
  assert.equal(await factory.waitForCacheSync(10_000), true);
  assert.deepEqual(seen, ['add existing']);

  await cms.create('informed', configMap('before-restart', { v: '1' }));
  await cms.patch('informed', 'existing', { data: { v: '2' } }, 'merge');
  await cms.create('informed', configMap('short-lived', {}));
  await cms.delete('informed', 'short-lived');
  await eventually(() => seen.includes('delete short-lived'), 'the delete');
  assert.deepEqual(seen, ['add existing', 'add before-restart', 'update existing', 'add short-lived', 'delete short-lived']);
  assert.equal(informer.listCount, 1);
  // A write the informer does not watch moves the revision past the informer's, so compacting
  // everything on restart leaves its resourceVersion behind.
  await cms.create('crud', configMap('after-the-informer', {}));

  // Restart on the same port and data dir, compacting all history: the informer's watch resumes
  // from a revision that is gone, gets 410 Expired, and must relist.
  await cluster.stop('SIGTERM');
  cluster = await startCluster({ dataDir: cluster.dataDir, port: cluster.port, ownsDataDir: true, extraArgs: ['--disable-controller-manager', '--compaction-window=0s', '--compaction-min-revisions=0'] });
  await cms.create('informed', configMap('after-restart', {}));
  await eventually(() => seen.includes('add after-restart'), 'the informer to see after-restart', 20_000);
  assert.ok(informer.cache.get('informed/before-restart'), 'the cache kept what it had');
  assert.ok(informer.listCount >= 2, `relisted after the 410 (lists: ${informer.listCount})`);
  for (const name of ['existing', 'before-restart', 'after-restart']) assert.ok(informer.cache.get(`informed/${name}`), name);
  assert.equal(informer.cache.get('informed/short-lived'), undefined);
});
