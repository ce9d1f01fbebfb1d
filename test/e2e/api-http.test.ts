// The HTTP contract below kubectl: status codes, error Status bodies, watch streams,
// pagination tokens, dry-run and discovery content types, checked on the wire.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';
import { call, credentialsFrom, openWatch, type Credentials } from './http-client.js';

let cluster: TestCluster;
let admin: Credentials;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--compaction-window=0s', '--compaction-min-revisions=0'] });
  admin = credentialsFrom(cluster.kubeconfig);
});
after(async () => {
  await cluster?.destroy();
});

const configMap = (name: string, data: Record<string, string> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('requests without a client certificate get 401 Unauthorized; health endpoints stay open', async () => {
  const anonymous = { ...admin, cert: undefined, key: undefined };
  const reply = await call(anonymous, 'GET', '/api/v1/namespaces');
  assert.equal(reply.status, 401);
  assert.equal(reply.json().reason, 'Unauthorized');
  assert.equal((await call(anonymous, 'GET', '/livez')).status, 200);
  assert.equal((await call(anonymous, 'GET', '/readyz')).body, 'ok');
});

test('a body over 3 MiB is 413, malformed or absurdly nested JSON is 400, and none leaves anything behind', async () => {
  const huge = configMap('huge', { big: 'x'.repeat(3 * 1024 * 1024 + 10) });
  const tooLarge = await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: huge });
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.json().reason, 'RequestEntityTooLarge');
  const malformed = await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{"apiVersion": "v1", "kind": ' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json().kind, 'Status');
  assert.equal((await call(admin, 'GET', '/api/v1/namespaces/default/configmaps/huge')).status, 404);
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const nested = await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"a":${deep}}}` });
  assert.equal(nested.status, 400);
  assert.match(nested.json<{ message: string }>().message, /nested more than 1000 levels deep/);
  assert.equal((await call(admin, 'GET', '/livez')).status, 200, 'the server is still there');
});

test('an invalid name is 422 Invalid with upstream field causes', async () => {
  const reply = await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('Not_Valid') });
  assert.equal(reply.status, 422);
  const status = reply.json<{ reason: string; details: { causes: { field: string; reason: string }[] } }>();
  assert.equal(status.reason, 'Invalid');
  assert.deepEqual(status.details.causes.map((c) => [c.field, c.reason]), [['metadata.name', 'FieldValueInvalid']]);
});

test('dryRun=All runs validation and defaulting but stores nothing and uses no revision', async () => {
  const before = (await call(admin, 'GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const reply = await call(admin, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: configMap('dry') });
  assert.equal(reply.status, 201);
  assert.equal(reply.json<{ metadata: { name: string } }>().metadata.name, 'dry');
  assert.equal((await call(admin, 'GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  const afterRv = (await call(admin, 'GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  assert.equal(afterRv, before);
});

test('a watch streams ADDED, MODIFIED and DELETED in order, with bookmarks when asked', async () => {
  const list = (await call(admin, 'GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>();
  const watch = openWatch(admin, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true`);
  assert.equal(await watch.status, 200);
  await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('w', { a: '1' }) });
  await call(admin, 'PATCH', '/api/v1/namespaces/default/configmaps/w', { body: '{"data":{"a":"2"}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  await call(admin, 'DELETE', '/api/v1/namespaces/default/configmaps/w');
  // Only "w" counts: the root CA publisher may write kube-root-ca.crt into "default" meanwhile.
  const ofW = () => watch.events.filter((e) => (e.object.metadata as { name?: string }).name === 'w');
  await until(() => ofW().length >= 3, 'three events');
  watch.close();
  assert.deepEqual(ofW().slice(0, 3).map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  const versions = watch.events.map((e) => Number((e.object.metadata as { resourceVersion: string }).resourceVersion));
  assert.deepEqual([...versions].sort((a, b) => a - b), versions);

  const initial = openWatch(admin, '/api/v1/namespaces?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan');
  await until(() => initial.events.some((e) => e.type === 'BOOKMARK'), 'the initial-events-end bookmark');
  initial.close();
  const bookmark = initial.events.find((e) => e.type === 'BOOKMARK')!;
  assert.equal((bookmark.object.metadata as { annotations: Record<string, string> }).annotations['k8s.io/initial-events-end'], 'true');
  assert.ok(initial.events.filter((e) => e.type === 'ADDED').length >= 4, 'every namespace arrives before the bookmark');
});

test('a watch from a compacted revision gets a 410 Expired ERROR event', async () => {
  await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('gone-1') });
  await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('gone-2') });
  // The server was started with a zero compaction window: history goes within a second or two.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const watch = openWatch(admin, '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
  await watch.ended;
  const error = watch.events.find((e) => e.type === 'ERROR');
  assert.ok(error, `expected an ERROR event, got ${JSON.stringify(watch.events)}`);
  assert.equal(error.object.code, 410);
  assert.equal(error.object.reason, 'Expired');
});

test('a list continue token still works while nothing changed, and is 410 once its revision is compacted and changed', async () => {
  for (let i = 0; i < 5; i++) await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap(`page-${i}`) });
  const first = (await call(admin, 'GET', '/api/v1/namespaces/default/configmaps?limit=2')).json<{ metadata: { continue: string } }>();
  assert.ok(first.metadata.continue);
  const second = await call(admin, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
  assert.equal(second.status, 200);
  await call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: configMap('page-late') });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const expired = await call(admin, 'GET', `/api/v1/namespaces/default/configmaps?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`);
  assert.equal(expired.status, 410);
  assert.equal(expired.json().reason, 'Expired');
});

test('aggregated discovery answers with its exact content type', async () => {
  const reply = await call(admin, 'GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
  assert.equal(reply.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const groups = reply.json<{ items: { metadata: { name: string } }[] }>().items.map((g) => g.metadata.name);
  assert.ok(groups.includes('apps') && groups.includes('rbac.authorization.k8s.io'));
  const legacy = await call(admin, 'GET', '/apis');
  assert.equal(legacy.json().kind, 'APIGroupList');
});

test('a Table watch sends one-row tables, and tables carry upstream columns', async () => {
  const table = await call(admin, 'GET', '/api/v1/namespaces', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
  const body = table.json<{ kind: string; columnDefinitions: { name: string }[]; rows: unknown[] }>();
  assert.equal(body.kind, 'Table');
  assert.deepEqual(body.columnDefinitions.map((c) => c.name), ['Name', 'Status', 'Age']);
  const watch = openWatch(admin, '/api/v1/namespaces?watch=true', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  await until(() => watch.events.length >= 4, 'initial namespace rows');
  watch.close();
  assert.equal(watch.events[0]!.object.kind, 'Table');
  assert.equal((watch.events[0]!.object.rows as unknown[]).length, 1);
});
