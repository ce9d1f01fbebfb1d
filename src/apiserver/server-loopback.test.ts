import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RestClient } from '../client/rest.js';
import { loopbackConnector } from '../client/loopback.js';
import { adminGroup, adminUser, ensureClusterPki, type ClusterPki } from '../pki/cluster-pki.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/types.js';
import { Api } from './api.js';
import { createApiServer, type ApiServer } from './server.js';

const reviewRef = { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', namespaced: false };
const podsRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const loopbackUser = { username: adminUser, groups: [adminGroup, 'system:authenticated'] };

let dir: string;
let store: Store;
let pki: ClusterPki;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-loopback-'));
  pki = await ensureClusterPki(join(dir, 'tls'), { hostname: hostname(), bindAddress: '127.0.0.1' });
  store = await openStore('', dir);
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function startServer(): Promise<{ http: ApiServer; port: number; loopbackClient: () => RestClient; stop: () => Promise<void> }> {
  const api = new Api({ store, admission: [] });
  const http = createApiServer({ api, tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem }, advertisedAddress: () => '127.0.0.1', ready: () => true });
  const port = await http.listen(0, '127.0.0.1');
  const loopback = loopbackConnector((socket) => http.acceptLoopback(socket, { ...loopbackUser, groups: [...loopbackUser.groups] }));
  const stop = async (): Promise<void> => {
    await http.close();
    for (const resourceStore of api.allStores()) resourceStore.cache.stop();
  };
  return { http, port, loopbackClient: () => new RestClient({ server: `https://127.0.0.1:${port}`, loopback }), stop };
}

test('a loopback connection is the same user as the admin certificate over HTTPS', async () => {
  const { port, loopbackClient, stop } = await startServer();
  const overHttps = new RestClient({ server: `https://127.0.0.1:${port}`, ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(pki.admin.certPem), key: Buffer.from(pki.admin.keyPem) });
  const overLoopback = loopbackClient();
  const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} };
  const [fromCertificate, fromLoopback] = await Promise.all([overHttps.resource(reviewRef).create(undefined, review), overLoopback.resource(reviewRef).create(undefined, review)]);
  assert.deepEqual(fromLoopback, fromCertificate);
  assert.deepEqual((fromLoopback as { status?: unknown }).status, { userInfo: loopbackUser });
  overHttps.close();
  overLoopback.close();
  await stop();
});

test('closing the server ends loopback watches and connections, then refuses new ones', async () => {
  const { http, loopbackClient, stop } = await startServer();
  const client = loopbackClient();
  const watch = await client.resource(podsRef).watch('default');
  const watchEnded = (async () => {
    try {
      for await (const _event of watch) continue;
    } catch (error) {
      // A watch close() could not end cleanly is cut when its connection is closed.
      assert.equal((error as NodeJS.ErrnoException).code, 'ECONNRESET');
    }
  })();
  const startedMs = performance.now();
  await stop();
  await watchEnded;
  // close() ends what is left when its 5 s grace period is over; loopback connections included.
  assert.ok(performance.now() - startedMs < 6_000, `close took ${Math.round(performance.now() - startedMs)} ms`);
  await assert.rejects(client.resource(podsRef).watch('default'), { code: 'ECONNREFUSED' });
  assert.equal(http.server.listening, false);
  client.close();
});
