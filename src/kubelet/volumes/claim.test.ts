// persistentVolumeClaim volumes through the volume manager with an in-memory API and a recording
// mount host: upstream's messages for claims that cannot be used, hostPath PVs used in place,
// local PVs bind-mounted under the pod, readOnly, and fsGroup on an emptyDir.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ApiError, type RestClient } from '../../client/index.js';
import { FakeClock } from '../../controllers/common/clock.js';
import type { KubeletContext } from '../context.js';
import { VolumeManager } from './manager.js';

const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-claims-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function setup(objects: Record<string, object>) {
  const notFound = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
  const client = { resource: (ref: { resource: string }) => ({ get: async (_ns: string, name: string) => objects[`${ref.resource}/${name}`] ?? Promise.reject(notFound) }) } as unknown as RestClient;
  const context: KubeletContext = { nodeName: 'n', hostIP: '10.0.0.1', dataDir, runtime: undefined as never, runtimeName: 'runc', client, clock: new FakeClock(), nodeAllocatable: () => ({}), log: () => undefined };
  const mounts: string[] = [];
  const manager = new VolumeManager(context, { mountTmpfs: () => undefined, unmountAll: () => undefined, bindMount: (source, dir, ro) => mounts.push(`${source} -> ${dir.slice(dataDir.length)}${ro ? ' ro' : ''}`) });
  return { manager, mounts };
}

const pod = (volumes: NonNullable<Pod['spec']>['volumes'], securityContext?: NonNullable<Pod['spec']>['securityContext']): Pod => ({
  metadata: { uid: 'u1', name: 'p', namespace: 'ns' },
  spec: { containers: [], volumes, ...(securityContext ? { securityContext } : {}), automountServiceAccountToken: false },
});
const claim = (name: string, o: { phase?: string; volumeName?: string } = {}) => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}` }, spec: { volumeName: o.volumeName }, status: { phase: o.phase ?? 'Bound' } });

test('claims that cannot be used fail with upstream messages', async () => {
  const { manager } = setup({ 'persistentvolumeclaims/pending': claim('pending', { phase: 'Pending' }), 'persistentvolumeclaims/orphan': claim('orphan', { volumeName: 'gone' }) });
  const attempt = (claimName: string) => manager.setUp(pod([{ name: 'data', persistentVolumeClaim: { claimName } }]), []);
  const prefix = 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC';
  await assert.rejects(attempt('missing'), { message: `${prefix} ns/missing: failed to fetch PVC from API server: persistentvolumeclaims "missing" not found` });
  await assert.rejects(attempt('pending'), { message: `${prefix} ns/pending: PVC is not bound` });
  await assert.rejects(attempt('orphan'), { message: `${prefix} ns/orphan: failed to fetch PV "gone" from API server: persistentvolumes "gone" not found` });
});

test('a hostPath PV is used in place; a local PV is bind-mounted under the pod, read-only when the claim is', async () => {
  const localPath = join(dataDir, 'disk');
  mkdirSync(localPath);
  const objects = {
    'persistentvolumeclaims/h': claim('h', { volumeName: 'pv-h' }),
    'persistentvolumeclaims/l': claim('l', { volumeName: 'pv-l' }),
    'persistentvolumes/pv-h': { metadata: { name: 'pv-h' }, spec: { hostPath: { path: '/srv/data' }, claimRef: { uid: 'uid-h' } } },
    'persistentvolumes/pv-l': { metadata: { name: 'pv-l' }, spec: { local: { path: localPath }, claimRef: { uid: 'uid-l' } } },
  };
  const { manager, mounts } = setup(objects);
  const volumes = await manager.setUp(pod([{ name: 'a', persistentVolumeClaim: { claimName: 'h' } }, { name: 'b', persistentVolumeClaim: { claimName: 'l', readOnly: true } }]), []);
  assert.equal(volumes.paths.get('a'), '/srv/data');
  assert.equal(volumes.paths.get('b'), join(dataDir, 'pods/u1/volumes/kubernetes.io~local-volume/pv-l'));
  assert.deepEqual(mounts, [`${localPath} -> /pods/u1/volumes/kubernetes.io~local-volume/pv-l ro`]);
  assert.deepEqual([...(volumes.readOnly ?? [])], ['b']);
});

test('a local PV whose path is missing fails as upstream\'s NewMounter', async () => {
  const { manager } = setup({ 'persistentvolumeclaims/l': claim('l', { volumeName: 'pv-l' }), 'persistentvolumes/pv-l': { metadata: { name: 'pv-l' }, spec: { local: { path: '/nonexistent/disk' }, claimRef: { uid: 'uid-l' } } } });
  await assert.rejects(manager.setUp(pod([{ name: 'b', persistentVolumeClaim: { claimName: 'l' } }]), []), { message: 'MountVolume.NewMounter initialization failed for volume "pv-l" : path "/nonexistent/disk" does not exist' });
});

test('fsGroup: an emptyDir gets the group and setgid', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
  const { manager } = setup({});
  const volumes = await manager.setUp(pod([{ name: 'scratch', emptyDir: {} }], { fsGroup: 2000 }), []);
  const stats = statSync(volumes.paths.get('scratch')!);
  assert.equal(stats.gid, 2000);
  assert.equal(stats.mode & 0o2070, 0o2070);
});
