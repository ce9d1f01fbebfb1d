// serviceaccounts/token issues JWTs the server then accepts as bearer tokens; pods/eviction
// respects PodDisruptionBudgets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, startCluster, type TestCluster } from './harness.js';
import { call, credentialsFrom, type Credentials } from './http-client.js';

let cluster: TestCluster;
let admin: Credentials;
before(async () => {
  cluster = await startCluster();
  admin = credentialsFrom(cluster.kubeconfig);
});
after(async () => {
  await cluster?.destroy();
});

test('kubectl create token returns a token the server authenticates as the service account', async () => {
  await cluster.ok(['create', 'serviceaccount', 'robot']);
  const token = (await cluster.ok(['create', 'token', 'robot'])).trim();
  const asRobot = { ...admin, cert: undefined, key: undefined };
  const review = await call(asRobot, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(review.status, 201);
  const user = review.json<{ status: { userInfo: { username: string; groups: string[] } } }>().status.userInfo;
  assert.equal(user.username, 'system:serviceaccount:default:robot');
  assert.ok(user.groups.includes('system:serviceaccounts:default'));
  const forged = await call(asRobot, 'GET', '/api/v1/namespaces', { headers: { Authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
  assert.equal(forged.status, 401);
  // Deleting the account ends its tokens.
  await cluster.ok(['delete', 'serviceaccount', 'robot']);
  const afterDelete = await call(asRobot, 'GET', '/api/v1/namespaces', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(afterDelete.status, 401);
});

test('a token audience other than the API server is not accepted by it, but a TokenReview for that audience is', async () => {
  await cluster.ok(['create', 'serviceaccount', 'other']);
  const token = (await cluster.ok(['create', 'token', 'other', '--audience=vault'])).trim();
  const asOther = { ...admin, cert: undefined, key: undefined };
  assert.equal((await call(asOther, 'GET', '/api/v1/namespaces', { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  const review = await call(admin, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['vault'] } }),
  });
  assert.equal(review.json<{ status: { authenticated: boolean } }>().status.authenticated, true);
});

test('an eviction blocked by a PodDisruptionBudget is 429; an allowed one deletes the pod', async () => {
  const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  // Pending pods are evicted without consulting budgets (as upstream): make them Running and Ready by hand.
  const running = '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}';
  await call(admin, 'POST', '/api/v1/namespaces/default/pods', { body: pod('db-0') });
  await cluster.ok(['patch', 'pod', 'db-0', '--subresource=status', '--type=merge', '-p', running]);
  await cluster.ok(['create', 'poddisruptionbudget', 'db', '--selector=app=db', '--min-available=1']);
  const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-0', namespace: 'default' } });
  const blocked = await call(admin, 'POST', '/api/v1/namespaces/default/pods/db-0/eviction', { body: eviction });
  assert.equal(blocked.status, 429);
  assert.match(blocked.json<{ message: string }>().message, /Cannot evict pod as it would violate the pod's disruption budget/);
  // A second ready pod: the disruption controller then allows one disruption.
  await call(admin, 'POST', '/api/v1/namespaces/default/pods', { body: pod('db-1') });
  await cluster.ok(['patch', 'pod', 'db-1', '--subresource=status', '--type=merge', '-p', running]);
  await eventually('the budget to allow a disruption', async () => ((await cluster.ok(['get', 'pdb', 'db', '-o', 'jsonpath={.status.disruptionsAllowed}'])) === '1' ? true : undefined), 15_000);
  const allowed = await call(admin, 'POST', '/api/v1/namespaces/default/pods/db-0/eviction', { body: eviction });
  assert.equal(allowed.status, 201);
  assert.equal((await call(admin, 'GET', '/api/v1/namespaces/default/pods/db-0')).status, 404);
});
