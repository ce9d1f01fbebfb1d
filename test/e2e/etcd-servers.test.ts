// Two `k8ts server` processes on one real etcd serve the same cluster: a write through one is
// seen by a watch on the other, in order and without gaps, and etcdctl reads the objects.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { EtcdCluster } from '../../src/storage/etcd/etcd-harness.js';
import { startCluster, type TestCluster } from './harness.js';
import { call, credentialsFrom, openWatch } from './http-client.js';

let etcd: EtcdCluster;
let first: TestCluster;
let second: TestCluster;
before(async () => {
  etcd = await EtcdCluster.start(1);
  first = await startCluster({ extraArgs: ['--datastore', etcd.datastore] });
  // The second server shares the first one's certificates, as servers of one cluster do.
  second = await startCluster({ dataDir: first.dataDir, extraArgs: ['--datastore', etcd.datastore] });
});
after(async () => {
  await second?.stop();
  await first?.destroy();
  await etcd?.stop();
});

test('a write through one server reaches a watch on the other, in order and without gaps', async () => {
  // Both servers wrote the shared kubeconfig; address each one by its own port.
  const credentials = credentialsFrom(first.kubeconfig);
  const one = { ...credentials, server: new URL(`https://127.0.0.1:${first.port}`) };
  const two = { ...credentials, server: new URL(`https://127.0.0.1:${second.port}`) };
  const rv = (await call(two, 'GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const watch = openWatch(two, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
  assert.equal(await watch.status, 200);
  const count = 20;
  for (let i = 0; i < count; i++) {
    const reply = await call(one, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `shared-${i}` } }) });
    assert.equal(reply.status, 201);
  }
  // The root CA publisher may write kube-root-ca.crt into "default" during the test, through either
  // server: only the test's own objects are counted.
  const ours = () => watch.events.filter((e) => (e.object.metadata as { name?: string } | undefined)?.name?.startsWith('shared-') === true);
  const deadline = Date.now() + 15_000;
  while (ours().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  watch.close();
  assert.deepEqual(ours().map((e) => (e.object.metadata as { name: string }).name), Array.from({ length: count }, (_, i) => `shared-${i}`));
  assert.ok(ours().every((e) => e.type === 'ADDED'));
  assert.equal(await second.ok(['get', 'configmap', 'shared-7', '-o', 'jsonpath={.metadata.name}']), 'shared-7');
});

test('etcdctl sees every object under /registry/', async () => {
  const { stdout } = await promisify(execFile)('etcdctl', ['--endpoints', etcd.endpoints.join(','), 'get', '--prefix', '/registry/', '--keys-only'], { env: { ...process.env, ETCDCTL_API: '3' } });
  assert.match(stdout, /^\/registry\/configmaps\/default\/shared-0$/m);
  assert.match(stdout, /^\/registry\/namespaces\/kube-system$/m);
  assert.match(stdout, /^\/registry\/services\/default\/kubernetes$/m);
});
