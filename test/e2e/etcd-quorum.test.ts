// k8ts on a three-member etcd: losing one member keeps serving; losing quorum makes writes fail
// with a clear 503 instead of hanging; when quorum returns writes succeed and nothing
// acknowledged was lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EtcdCluster } from '../../src/storage/etcd/etcd-harness.js';
import { startCluster, type TestCluster } from './harness.js';
import { call, credentialsFrom, type Credentials } from './http-client.js';

let etcd: EtcdCluster;
let cluster: TestCluster;
let admin: Credentials;
before(async () => {
  etcd = await EtcdCluster.start(3);
  cluster = await startCluster({ extraArgs: ['--datastore', etcd.datastore] });
  admin = credentialsFrom(cluster.kubeconfig);
});
after(async () => {
  await cluster?.destroy();
  await etcd?.stop();
});

const create = (name: string) => call(admin, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } }) });

test('writes survive one lost member, fail clearly without quorum, and resume with nothing lost', async () => {
  const acknowledged: string[] = [];
  for (const name of ['q-0', 'q-1']) {
    assert.equal((await create(name)).status, 201);
    acknowledged.push(name);
  }
  const leader = await etcd.leaderIndex();
  const followers = [0, 1, 2].filter((i) => i !== leader);
  await etcd.kill(followers[0]!);
  assert.equal((await create('q-2')).status, 201, 'two of three members still form a quorum');
  acknowledged.push('q-2');

  await etcd.kill(followers[1]!);
  const started = Date.now();
  const refused = await create('q-3');
  const tookMs = Date.now() - started;
  assert.ok(refused.status >= 500, `expected a 5xx without quorum, got ${refused.status}`);
  assert.match(refused.json<{ message: string }>().message, /datastore unavailable/);
  assert.ok(tookMs < 15_000, `the write failed after ${tookMs} ms instead of promptly`);

  await etcd.restart(followers[0]!);
  await etcd.restart(followers[1]!);
  await etcd.waitReady([0, 1, 2]);
  const deadline = Date.now() + 30_000;
  let resumed = 0;
  while (Date.now() < deadline) {
    resumed = (await create('q-4')).status;
    if (resumed === 201 || resumed === 409) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.ok(resumed === 201 || resumed === 409, `writes resume once quorum returns (last status ${resumed})`);
  for (const name of acknowledged) {
    const got = await call(admin, 'GET', `/api/v1/namespaces/default/configmaps/${name}`);
    assert.equal(got.status, 200, `${name} was acknowledged and must still be there`);
  }
});
