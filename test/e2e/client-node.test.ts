// @kubernetes/client-node against a real k8ts server: CRUD, pagination, and an informer that
// survives a server restart and a 410 relist.
import * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
let kc: k8s.KubeConfig;
before(async () => {
  cluster = await startCluster({ port: await freePort() });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
});
after(async () => {
  await cluster?.destroy();
});

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('client-node creates, reads, updates, patches and deletes a ConfigMap', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn' }, data: { a: '1' } } });
  assert.equal(created.metadata?.name, 'cn');
  assert.ok(created.metadata?.uid);
  const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'cn' });
  assert.deepEqual(read.data, { a: '1' });
  read.data = { a: '2' };
  const replaced = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cn', body: read });
  assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);
  const patched = await core.patchNamespacedConfigMap(
    { namespace: 'default', name: 'cn', body: { data: { b: '3' } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  assert.deepEqual(patched.data, { a: '2', b: '3' });
  await assert.rejects(core.replaceNamespacedConfigMap({ namespace: 'default', name: 'cn', body: read }), (error: unknown) => {
    assert.equal((error as { code?: number }).code, 409);
    return true;
  });
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'cn' });
  await assert.rejects(core.readNamespacedConfigMap({ namespace: 'default', name: 'cn' }), (error: unknown) => (error as { code?: number }).code === 404);
});

test('client-node pages through a list with limit and continue', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'paging' } } });
  // The root CA publisher adds kube-root-ca.crt to every namespace: wait for it so the count is stable.
  for (let tries = 0; ; tries++) {
    try {
      await core.readNamespacedConfigMap({ namespace: 'paging', name: 'kube-root-ca.crt' });
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  for (let i = 0; i < 25; i++) await core.createNamespacedConfigMap({ namespace: 'paging', body: { metadata: { name: `cm-${String(i).padStart(2, '0')}` } } });
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await core.listNamespacedConfigMap({ namespace: 'paging', limit: 10, _continue: token });
    names.push(...page.items.map((item) => item.metadata!.name!));
    token = page.metadata?._continue;
    pages++;
    if (token) assert.equal(page.metadata?.remainingItemCount, 26 - names.length);
  } while (token);
  assert.equal(pages, 3);
  assert.equal(names.length, 26);
  assert.deepEqual(names, [...names].sort());
});

test('a client-node informer keeps its cache across a server restart and relists after a 410', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'informed' } } });
  const informer = k8s.makeInformer(kc, '/api/v1/namespaces/informed/configmaps', () => core.listNamespacedConfigMap({ namespace: 'informed' }));
  const seen = new Set<string>();
  let stopped = false;
  informer.on('add', (obj) => seen.add(obj.metadata!.name!));
  informer.on('error', () => {
    // client-node stops on a connection error; restarting it is the application's job, as its docs show.
    if (!stopped) setTimeout(() => void (stopped ? undefined : informer.start().catch(() => undefined)), 500);
  });
  await informer.start();
  await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'before-restart' } } });
  await eventually(() => seen.has('before-restart'), 'the informer to see before-restart');

  // Restart on the same port and data dir, compacting all history at once: the informer's
  // watch resumes from a revision that is gone, gets 410 Expired, and must relist.
  await cluster.stop('SIGTERM');
  cluster = await startCluster({ dataDir: cluster.dataDir, port: cluster.port, ownsDataDir: true, extraArgs: ['--compaction-window=0s', '--compaction-min-revisions=0'] });
  await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'after-restart' } } });
  await eventually(() => seen.has('after-restart'), 'the informer to see after-restart', 30_000);
  assert.ok(informer.list().some((item) => item.metadata?.name === 'before-restart'));
  stopped = true;
  await informer.stop();
});
