// `k8ts controller-manager` alone, against a server that runs none: it takes the lease and its
// controllers do their work, and --controllers leaves out what it is told to.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startCluster, startK8ts, type K8tsProcess, type TestCluster } from './harness.js';

let cluster: TestCluster;
let manager: K8tsProcess | undefined;
before(async () => {
  cluster = await startCluster({ extraArgs: ['--disable-controller-manager'] });
});
after(async () => {
  await manager?.stop();
  await cluster?.destroy();
});

const getJson = (args: string[]): Promise<any> => cluster.json(args);

test('k8ts controller-manager runs the selected controllers against a server without its own', async () => {
  await cluster.ok(['create', 'namespace', 'team-a']);
  manager = startK8ts(['controller-manager', '--kubeconfig', cluster.kubeconfig, '--controllers', '*,-root-ca-certificate-publisher']);
  const lease = await eventually('the lease', () => getJson(['lease', 'kube-controller-manager', '-n', 'kube-system']));
  assert.ok(lease.spec.holderIdentity);
  await eventually('serviceaccount default in team-a', () => getJson(['serviceaccount', 'default', '-n', 'team-a']));
  assert.equal(await getJson(['configmap', 'kube-root-ca.crt', '-n', 'team-a']), undefined, 'the disabled publisher wrote nothing');
  assert.equal(await manager.stop(), 0);
  manager = undefined;
});

test('an unknown controller name is refused as upstream words it', async () => {
  const bad = startK8ts(['controller-manager', '--kubeconfig', cluster.kubeconfig, '--controllers', 'nope']);
  assert.equal(await bad.exited, 1);
  assert.match(bad.output(), /"nope" is not in the list of known controllers/);
});
