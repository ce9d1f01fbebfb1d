// The volume manager with a recording tmpfs host and an in-memory API: where volumes land, which
// get tmpfs (and what size), when the service-account volume is added, and tear-down.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, type RestClient } from '../../client/index.js';
import { FakeClock } from '../../controllers/common/clock.js';
import type { KubeletContext } from '../context.js';
import { serviceAccountVolumeName, VolumeManager } from './manager.js';

const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-volumes-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function setup(objects: Record<string, object>) {
  const tokenRequests: unknown[] = [];
  const notFound = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  const client = {
    resource: (ref: { resource: string }) => ({
      get: async (_ns: string, name: string) => objects[`${ref.resource}/${name}`] ?? Promise.reject(notFound),
      path: (ns: string, name: string, sub: string) => `/api/v1/namespaces/${ns}/${ref.resource}/${name}/${sub}`,
    }),
    transport: { request: async (req: { body: unknown }) => (tokenRequests.push(req.body), { status: { token: 'jwt', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() } }) },
  } as unknown as RestClient;
  const context: KubeletContext = { nodeName: 'n', hostIP: '10.0.0.1', dataDir, runtime: undefined as never, runtimeName: 'runc', client, clock: new FakeClock(), nodeAllocatable: () => ({}), log: () => undefined };
  const tmpfs: string[] = [];
  const unmounted: string[] = [];
  const manager = new VolumeManager(context, { mountTmpfs: (dir, size) => void tmpfs.push(`${dir.slice(dataDir.length)}${size ? ` ${size}` : ''}`), unmountAll: (dir) => unmounted.push(dir) });
  return { manager, tmpfs, unmounted, tokenRequests };
}

const caConfigMap = { 'configmaps/kube-root-ca.crt': { data: { 'ca.crt': 'CA' } } };

test('emptyDir Memory and secrets get tmpfs (sizeLimit in bytes); configMaps are plain directories', async () => {
  const { manager, tmpfs } = setup({ 'configmaps/cfg': { data: { k: 'v' } }, 'secrets/sec': { data: { p: Buffer.from('x').toString('base64') } } });
  const pod: Pod = { metadata: { uid: 'u1', name: 'p', namespace: 'ns' }, spec: { containers: [], volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }, { name: 'c', configMap: { name: 'cfg' } }, { name: 's', secret: { secretName: 'sec' } }] } };
  const volumes = await manager.setUp(pod, ['10.1.0.2']);
  assert.deepEqual(tmpfs, ['/pods/u1/volumes/kubernetes.io~empty-dir/m 8388608', '/pods/u1/volumes/kubernetes.io~secret/s']);
  assert.equal(readFileSync(join(volumes.paths.get('c')!, 'k'), 'utf8'), 'v');
  assert.equal(readlinkSync(join(volumes.paths.get('c')!, 'k')), '..data/k');
  assert.equal(volumes.serviceAccountVolume, undefined, 'no serviceAccountName: no token');
});

test('the service-account volume is added for a pod with a service account, bound to the pod', async () => {
  const { manager, tokenRequests } = setup({ ...caConfigMap, 'serviceaccounts/default': {} });
  const pod: Pod = { metadata: { uid: 'u2', name: 'p', namespace: 'ns' }, spec: { serviceAccountName: 'default', containers: [] } };
  const volumes = await manager.setUp(pod, []);
  assert.equal(volumes.serviceAccountVolume, serviceAccountVolumeName);
  const dir = volumes.paths.get(serviceAccountVolumeName)!;
  assert.deepEqual(['token', 'ca.crt', 'namespace'].map((f) => readFileSync(join(dir, f), 'utf8')), ['jwt', 'CA', 'ns']);
  assert.deepEqual((tokenRequests[0] as any).spec, { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u2' } });
});

test('no service-account volume when the pod or its account opts out, or for mirror pods', async () => {
  const { manager } = setup({ ...caConfigMap, 'serviceaccounts/quiet': { automountServiceAccountToken: false }, 'serviceaccounts/default': {} });
  // A uid per pod: the manager remembers a pod's volumes once they are set up.
  const base = (uid: string) => ({ metadata: { uid, name: 'p', namespace: 'ns' } });
  assert.equal((await manager.setUp({ ...base('u3a'), spec: { serviceAccountName: 'default', automountServiceAccountToken: false, containers: [] } }, [])).serviceAccountVolume, undefined);
  assert.equal((await manager.setUp({ ...base('u3b'), spec: { serviceAccountName: 'quiet', containers: [] } }, [])).serviceAccountVolume, undefined);
  assert.equal((await manager.setUp({ ...base('u3c'), spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [] } }, [])).serviceAccountVolume, serviceAccountVolumeName, 'the pod’s field wins');
  const mirror = { metadata: { ...base('u3d').metadata, annotations: { 'kubernetes.io/config.mirror': 'h' } }, spec: { serviceAccountName: 'default', containers: [] } };
  assert.equal((await manager.setUp(mirror, [])).serviceAccountVolume, undefined);
});

test('a pod set up once is not read again until torn down', async () => {
  const { manager } = setup({ ...caConfigMap, 'configmaps/cfg': { data: { k: 'v1' } } });
  const pod: Pod = { metadata: { uid: 'u5', name: 'p', namespace: 'ns' }, spec: { containers: [], volumes: [{ name: 'v', configMap: { name: 'cfg' } }] } };
  const first = await manager.setUp(pod, ['10.0.0.5']);
  assert.equal(await manager.setUp(pod, ['10.0.0.5']), first);
  assert.notEqual(await manager.setUp(pod, ['10.0.0.6']), first, 'new pod IPs render the downward API again');
  manager.tearDown('u5');
});

test('a missing configMap names the volume as upstream’s FailedMount does; tearDown unmounts the pod dir', async () => {
  const { manager, unmounted } = setup({});
  const pod: Pod = { metadata: { uid: 'u4', name: 'p', namespace: 'ns' }, spec: { containers: [], volumes: [{ name: 'v', configMap: { name: 'gone' } }] } };
  await assert.rejects(manager.setUp(pod, []), { message: 'MountVolume.SetUp failed for volume "v" : configmap "gone" not found' });
  manager.tearDown('u4');
  assert.deepEqual(unmounted, [join(dataDir, 'pods', 'u4')]);
});
