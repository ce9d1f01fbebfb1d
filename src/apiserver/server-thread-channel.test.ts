import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { isNotFound } from '../client/errors.js';
import { RestClient } from '../client/rest.js';
import { isThreadChannelMessage, ThreadChannelClient, threadChannelMaxRequests } from '../client/thread-channel.js';
import { adminGroup, adminUser, ensureClusterPki, type ClusterPki } from '../pki/cluster-pki.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/types.js';
import { Api } from './api.js';
import { createApiServer, type ApiServer } from './server.js';

// The channel's two ends live in one thread here: MessagePorts deliver between them as between threads.
const reviewRef = { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', namespaced: false };
const configMapsRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const channelUser = { username: adminUser, groups: [adminGroup, 'system:authenticated'] };

let dir: string;
let store: Store;
let pki: ClusterPki;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-thread-channel-'));
  pki = await ensureClusterPki(join(dir, 'tls'), { hostname: hostname(), bindAddress: '127.0.0.1' });
  store = await openStore('', dir);
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function startServer(): Promise<{ http: ApiServer; port: number; channelClient: () => RestClient; channelsOpened: () => number; stop: () => Promise<void> }> {
  const api = new Api({ store, admission: [] });
  const http = createApiServer({ api, tls: { caPem: pki.ca.certPem, certPem: pki.server.certPem, keyPem: pki.server.keyPem }, advertisedAddress: () => '127.0.0.1', ready: () => true });
  const port = await http.listen(0, '127.0.0.1');
  let opened = 0;
  const channelClient = (): RestClient => new RestClient({ server: `https://127.0.0.1:${port}`, threadChannel: new ThreadChannelClient(parentFor(http, () => opened++)) });
  const stop = async (): Promise<void> => {
    await http.close();
    for (const resourceStore of api.allStores()) resourceStore.cache.stop();
  };
  return { http, port, channelClient, channelsOpened: () => opened, stop };
}

/** What a worker's parentPort is to it: where it asks for channels, which `http` then serves. */
function parentFor(http: ApiServer, onOpen: () => void = () => undefined): MessagePort {
  const parent = new MessageChannel();
  parent.port2.on('message', (message: unknown) => {
    if (!isThreadChannelMessage(message)) return;
    onOpen();
    http.acceptThreadChannel(message.port, { ...channelUser, groups: [...channelUser.groups] });
  });
  parent.port2.unref();
  return parent.port1;
}

test('requests over a thread channel are the admin user\'s, and get what HTTPS gets', async () => {
  const { port, channelClient, stop } = await startServer();
  const overHttps = new RestClient({ server: `https://127.0.0.1:${port}`, ca: Buffer.from(pki.ca.certPem), cert: Buffer.from(pki.admin.certPem), key: Buffer.from(pki.admin.keyPem) });
  const overChannel = channelClient();
  const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} };
  assert.deepEqual(await overChannel.resource(reviewRef).create(undefined, review), await overHttps.resource(reviewRef).create(undefined, review));

  const configMaps = overChannel.resource(configMapsRef);
  const created = await configMaps.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u8' }, data: { text: 'ünïcödé '.repeat(5000) } });
  assert.deepEqual(await overHttps.resource(configMapsRef).get('default', 'u8'), created, 'a large answer with multi-byte text arrives whole');
  const patched = await configMaps.patch('default', 'u8', { data: { more: 'yes' } }, 'merge');
  assert.equal((patched.data as Record<string, string>).more, 'yes');
  await configMaps.delete('default', 'u8');
  await assert.rejects(configMaps.get('default', 'u8'), (error: unknown) => isNotFound(error) && /configmaps "u8" not found/.test((error as Error).message));
  overHttps.close();
  overChannel.close();
  await stop();
});

test('a watch over a thread channel streams events; stopping it ends the server\'s side', async () => {
  const { channelClient, stop } = await startServer();
  const client = channelClient();
  const configMaps = client.resource(configMapsRef);
  const watch = await configMaps.watch('default', { fieldSelector: 'metadata.name=w' });
  const names: string[] = [];
  const reading = (async () => {
    for await (const event of watch) {
      names.push(`${event.type} ${((event.object as { data?: Record<string, string> }).data)?.n ?? ''}`);
      if (names.length === 3) break;
    }
  })();
  const first = await configMaps.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, data: { n: '1' } });
  await configMaps.update('default', { ...first, data: { n: '2' } });
  await configMaps.delete('default', 'w');
  await reading;
  assert.deepEqual(names, ['ADDED 1', 'MODIFIED 2', 'DELETED 2']);
  // break stopped the watch: the server ends it at once rather than at its timeout, so closing is quick.
  const startedMs = performance.now();
  client.close();
  await stop();
  assert.ok(performance.now() - startedMs < 2_000, `close took ${Math.round(performance.now() - startedMs)} ms`);
});

test('a watch whose reader stops reading holds the server\'s writes, which go on once it reads', async () => {
  const { channelClient, stop } = await startServer();
  const client = channelClient();
  const configMaps = client.resource(configMapsRef);
  const watch = await configMaps.watch('default', { labelSelector: 'flow=control' });
  const big = 'x'.repeat(16 * 1024);
  // About 1.6 MB of events, far past what the channel lets be unacknowledged, before anything is read.
  for (let i = 0; i < 100; i++) await configMaps.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fc-${i}`, labels: { flow: 'control' } }, data: { big } });
  let seen = 0;
  for await (const event of watch) {
    assert.equal(event.type, 'ADDED');
    if (++seen === 100) break;
  }
  assert.equal(seen, 100);
  client.close();
  await stop();
});

test('closing the server ends channel watches and closes its channels; a client asks for a new one, which is refused', async () => {
  const { channelClient, channelsOpened, stop } = await startServer();
  const client = channelClient();
  const watch = await client.resource(configMapsRef).watch('default');
  const watchEnded = (async () => {
    for await (const _event of watch) continue;
  })();
  const startedMs = performance.now();
  await stop();
  await watchEnded;
  assert.ok(performance.now() - startedMs < 2_000, `close took ${Math.round(performance.now() - startedMs)} ms`);
  await assert.rejects(client.resource(configMapsRef).list('default'), { code: 'ECONNREFUSED' });
  assert.equal(channelsOpened(), 2, 'the stopped server closed the first channel');
  client.close();
});

test('a client has at most threadChannelMaxRequests ordinary requests in flight; the rest wait and all get answered', async () => {
  const { http, port, stop } = await startServer();
  const channel = new ThreadChannelClient(parentFor(http));
  const client = new RestClient({ server: `https://127.0.0.1:${port}`, threadChannel: channel });
  const configMaps = client.resource(configMapsRef);
  let most = 0;
  const sampler = setInterval(() => (most = Math.max(most, channel.requestsSent)), 0);
  const answers = await Promise.all(Array.from({ length: threadChannelMaxRequests * 2 + 5 }, (_, i) => configMaps.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `many-${i}` } })));
  clearInterval(sampler);
  assert.equal(new Set(answers.map((answer) => answer.metadata?.name)).size, threadChannelMaxRequests * 2 + 5);
  assert.ok(most > 0 && most <= threadChannelMaxRequests, `at most ${most} in flight`);
  client.close();
  await stop();
});
