// Pull and push against a real registry (Debian's docker-registry) on loopback: anonymous,
// htpasswd Basic auth, and Bearer tokens; skopeo reads back what was pushed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { buildBusyboxLayout } from '../../testing/busybox-layout.js';
import { DigestMismatchError, sha256Digest } from '../content-store.js';
import { ImageStore } from '../image-store.js';
import { importImages } from '../import.js';
import { upstreamEndpoint } from './client.js';
import { credentialsFor, parseDockerConfig } from './credentials.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import { startTestRegistry, type TestRegistry } from './test-registry.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'k8ts-registry-test-'));
let source: ImageStore;
let stores = 0;

async function newStore(): Promise<ImageStore> {
  const store = new ImageStore(join(work, `store-${stores++}`));
  await store.init();
  return store;
}

before(async () => {
  await buildBusyboxLayout(join(work, 'layout'));
  source = await newStore();
  await importImages(source, join(work, 'layout'), { name: 'busybox' });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('docker.io is reached at registry-1.docker.io', () => {
  assert.equal(upstreamEndpoint('docker.io').base.href, 'https://registry-1.docker.io/');
  assert.equal(upstreamEndpoint('ghcr.io').base.href, 'https://ghcr.io/');
});

describe('an anonymous registry', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
  });
  after(() => registry.stop());

  test('push then pull round-trips the image, and skopeo reads what was pushed', async () => {
    const target = `${registry.host}/k8ts/busybox:v1`;
    const events: string[] = [];
    const pushed = await pushImage(source, 'busybox', target, { onProgress: (e) => events.push(e.status) });
    assert.equal(pushed.digest, source.find('busybox')!.manifestDigest);
    assert.ok(events.includes('Pushed'));
    const again = await pushImage(source, 'busybox', target, { onProgress: (e) => events.push(e.status) });
    assert.equal(again.digest, pushed.digest);
    assert.ok(events.includes('Layer already exists'), 'the second push finds every blob there');

    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${target}`]);
    const inspected = JSON.parse(stdout) as { Digest: string; Architecture: string; Layers: string[] };
    assert.equal(inspected.Digest, pushed.digest);
    assert.equal(inspected.Layers.length, (await source.resolve('busybox')).manifest.layers.length);

    const store = await newStore();
    const pulled = await pullImage(store, target);
    assert.deepEqual(pulled.record.names, [target]);
    assert.equal(pulled.record.id, source.find('busybox')!.id);
    const image = await store.resolve(target);
    assert.deepEqual(image.config.config?.Cmd, ['sh']);
    assert.ok((await store.unpack(image)).length > 0);
  });

  test('chunked uploads and cross-repository mounts push the same image', async () => {
    await pushImage(source, 'busybox', `${registry.host}/k8ts/chunked:v1`, { chunked: true });
    const events: string[] = [];
    await pushImage(source, 'busybox', `${registry.host}/k8ts/mounted:v1`, { mountFrom: 'k8ts/chunked', onProgress: (e) => events.push(e.status) });
    assert.ok(events.some((status) => status.startsWith('Mounted from k8ts/chunked')), events.join(','));
    const store = await newStore();
    assert.equal((await pullImage(store, `${registry.host}/k8ts/mounted:v1`)).record.id, source.find('busybox')!.id);
  });

  test('Docker Hub short names are pulled through a docker.io mirror under their full names', async () => {
    await pushImage(source, 'busybox', `${registry.host}/library/busybox:latest`);
    const store = await newStore();
    const { record } = await pullImage(store, 'busybox', { mirrors: [`http://${registry.host}`] });
    assert.deepEqual(record.names, ['docker.io/library/busybox:latest']);
    assert.ok(store.find('busybox'));
  });

  test('concurrent pulls of one reference share one pull', async () => {
    const store = await newStore();
    const first = pullImage(store, `${registry.host}/k8ts/busybox:v1`);
    const second = pullImage(store, `${registry.host}/k8ts/busybox:v1`);
    assert.equal(first, second);
    assert.equal((await first).record, (await second).record);
  });

  test('a multi-platform index resolves to its linux/amd64 manifest', async () => {
    const pushed = await pushImage(source, 'busybox', `${registry.host}/k8ts/multi:single`);
    const manifest = await source.content.read(pushed.digest);
    const mediaType = (await source.resolve('busybox')).manifest.mediaType;
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType, digest: pushed.digest, size: manifest.length, platform: { os: 'linux', architecture: 'arm64' } },
        { mediaType, digest: pushed.digest, size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    }));
    const put = await fetch(`http://${registry.host}/v2/k8ts/multi/manifests/latest`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: index });
    assert.equal(put.status, 201, await put.text());
    const store = await newStore();
    const result = await pullImage(store, `${registry.host}/k8ts/multi`);
    assert.equal(result.digest, sha256Digest(index), 'the tag resolved to the index');
    assert.equal(result.record.manifestDigest, pushed.digest, 'the amd64 manifest is the image');
  });

  test('an unknown tag fails with manifest unknown', async () => {
    const store = await newStore();
    await assert.rejects(pullImage(store, `${registry.host}/k8ts/busybox:nope`), /manifest for 127\.0\.0\.1:\d+\/k8ts\/busybox:nope not found: manifest unknown/);
  });

  test('a blob whose bytes do not match its digest is refused', async () => {
    await pushImage(source, 'busybox', `${registry.host}/k8ts/tampered:v1`);
    const image = await source.resolve('busybox');
    const layer = image.manifest.layers[0]!.digest.slice('sha256:'.length);
    writeFileSync(join(registry.storage, 'docker/registry/v2/blobs/sha256', layer.slice(0, 2), layer, 'data'), 'not the layer');
    const store = await newStore();
    await assert.rejects(pullImage(store, `${registry.host}/k8ts/tampered:v1`), DigestMismatchError);
    assert.equal(store.find(`${registry.host}/k8ts/tampered:v1`), undefined, 'nothing registered');
    const blobs = readdirSync(join(work, `store-${stores - 1}`, 'blobs', 'sha256'));
    assert.ok(!blobs.includes(layer), 'the bad blob is not kept');
  });
});

describe('a registry on HTTPS with its own CA', () => {
  // Loopback registries are insecure by default (as in Docker), so this one listens on the host's own address.
  const address = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  let registry: TestRegistry;
  before(async () => {
    if (address) registry = await startTestRegistry({ kind: 'none' }, { tlsAddress: address });
  });
  after(() => registry?.stop());

  test('is trusted with --registry-ca-file, and refused without it', { skip: !address && 'no non-loopback IPv4 address' }, async () => {
    const target = `${registry.host}/k8ts/busybox:tls`;
    await assert.rejects(pushImage(source, 'busybox', target), /certificate.*(insecure registry|--registry-ca-file)/s);
    await pushImage(source, 'busybox', target, { caFile: registry.caFile! });
    assert.ok((await pullImage(await newStore(), target, { caFile: registry.caFile! })).record);
    assert.ok((await pullImage(await newStore(), target, { insecureRegistries: [registry.host] })).record, 'an insecure registry skips verification');
  });
});

describe('a registry with htpasswd Basic auth', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ kind: 'basic', users: { alice: 's3cret' } });
  });
  after(() => registry.stop());

  test('without credentials pushes fail with unauthorized: authentication required', async () => {
    await assert.rejects(pushImage(source, 'busybox', `${registry.host}/k8ts/busybox:v1`), /unauthorized: authentication required/);
  });

  test('credentials from a .dockerconfigjson push and pull', async () => {
    const config = parseDockerConfig(JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    const auth = (domain: string, path: string) => credentialsFor(config, domain, path);
    await pushImage(source, 'busybox', `${registry.host}/k8ts/busybox:v1`, { auth });
    const store = await newStore();
    assert.ok((await pullImage(store, `${registry.host}/k8ts/busybox:v1`, { auth })).record);
    await assert.rejects(pullImage(await newStore(), `${registry.host}/k8ts/busybox:v1`, { auth: { username: 'alice', password: 'wrong' } }), /pull access denied for 127\.0\.0\.1:\d+\/k8ts\/busybox, repository does not exist or may require 'docker login': denied: requested access to the resource is denied/);
  });
});

describe('a registry with Bearer token auth', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ kind: 'token', users: { bob: 'hunter2' } });
  });
  after(() => registry.stop());

  test('a user pushes with a token for pull,push; anonymous pulls get a pull token', async () => {
    await pushImage(source, 'busybox', `${registry.host}/k8ts/busybox:v1`, { auth: { username: 'bob', password: 'hunter2' } });
    assert.ok(registry.tokenRequests.some((query) => query.includes('scope=repository%3Ak8ts%2Fbusybox%3Apull%2Cpush')), registry.tokenRequests.join('\n'));
    const store = await newStore();
    const before = registry.tokenRequests.length;
    assert.ok((await pullImage(store, `${registry.host}/k8ts/busybox:v1`)).record);
    await pullImage(await newStore(), `${registry.host}/k8ts/busybox:v1`);
    assert.equal(registry.tokenRequests.length, before + 1, 'the pull token is cached per scope');
  });

  test('anonymous pushes are denied', async () => {
    await assert.rejects(pushImage(source, 'busybox', `${registry.host}/k8ts/other:v1`), /unauthorized|denied/);
  });

  test('a wrong password is refused by the token server', async () => {
    await assert.rejects(pullImage(await newStore(), `${registry.host}/k8ts/busybox:v1`, { auth: { username: 'bob', password: 'nope' } }), /unauthorized: incorrect username or password/);
  });
});
