// An acknowledged write survives kill -9, and a restart keeps every object and resourceVersion.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster | undefined;
after(async () => {
  await cluster?.destroy();
});

test('objects written before kill -9 are there after restart with the same resourceVersions', async () => {
  cluster = await startCluster();
  for (let i = 0; i < 20; i++) await cluster.ok(['create', 'namespace', `ns-${i}`]);
  await cluster.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\ndata: {k: v}\n' });
  const before = JSON.parse(await cluster.ok(['get', 'namespaces,configmaps', '-A', '-o', 'json'])) as { items: { metadata: { name: string; resourceVersion: string; uid: string } }[] };
  await cluster.stop('SIGKILL');
  cluster = await startCluster({ dataDir: cluster.dataDir, ownsDataDir: true });
  const afterRestart = JSON.parse(await cluster.ok(['get', 'namespaces,configmaps', '-A', '-o', 'json'])) as typeof before;
  const key = (item: (typeof before.items)[number]) => `${item.metadata.name}@${item.metadata.resourceVersion}/${item.metadata.uid}`;
  assert.deepEqual(afterRestart.items.map(key).sort(), before.items.map(key).sort());
  assert.equal(await cluster.ok(['get', 'cm', 'last', '-o', 'jsonpath={.data.k}']), 'v');
});

test('SIGTERM stops the server cleanly with exit code 0', async () => {
  cluster ??= await startCluster();
  assert.equal(await cluster.stop('SIGTERM'), 0);
});
