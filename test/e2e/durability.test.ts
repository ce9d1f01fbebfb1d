// An acknowledged write survives kill -9, and a restart keeps every object and resourceVersion.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster | undefined;
after(async () => {
  await cluster?.destroy();
});

test('objects written before kill -9 are there after restart with the same resourceVersions', async () => {
  cluster = await startCluster();
  for (let i = 0; i < 20; i++) await cluster.ok(['create', 'namespace', `ns-${i}`]);
  await cluster.ok(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\ndata: {k: v}\n' });
  // The root CA publisher writes kube-root-ca.crt into each new namespace on its own time; wait until it
  // has caught up, so the snapshot below is the state the kill interrupts and not a moment before it.
  const live = cluster;
  await eventually('kube-root-ca.crt in every namespace', async () => {
    const namespaces = (await live.ok(['get', 'namespaces', '-o', 'name'])).trim().split('\n').length;
    const published = (await live.ok(['get', 'configmaps', '-A', '--field-selector', 'metadata.name=kube-root-ca.crt', '-o', 'name'])).trim().split('\n').length;
    return published === namespaces ? true : undefined;
  });
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
