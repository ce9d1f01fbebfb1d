// PersistentVolumes end to end on real containers, driven by the real kubectl: a hostPath PV and
// a claim bound by the persistentvolume-binder (as `kubectl get pv/pvc` shows), a pod writing
// through the claim onto the host, fsGroup in `id` and on an emptyDir, a local PV behind a
// WaitForFirstConsumer class bound only once a pod uses it (the scheduler picks the volume and
// the binder completes the binding), a Retain volume Released when its claim goes, a claim
// kept while a pod uses it (pvc-protection), the Delete policy's hostPath deleter, and a
// StatefulSet's volumeClaimTemplates bound to matching volumes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentTestEnv, cleanUpAgentCluster, containerLogText, importBusybox } from './agent-cluster.js';
import { eventually, freePort, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-pv-e2e-');
const { work, dataDir, podCidr } = env;
let cluster: TestCluster;
let nodeName = '';
const hostPvDir = join(work, 'host-pv');
const localDisk = join(work, 'local-disk');
const stsDir = join(work, 'sts-pv');
const busybox = { image: 'busybox', imagePullPolicy: 'IfNotPresent' };

function apply(objects: object[]): Promise<string> {
  return cluster.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
}

function hostPathPv(name: string, path: string, storage: string): object {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: '', hostPath: { path, type: 'DirectoryOrCreate' } },
  };
}

function claim(name: string, storageClassName: string, storage = '100Mi'): object {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage } } } };
}

const logOf = (p: any, container: string): string => containerLogText(dataDir, p, container);

async function eventsOf(kind: string, name: string): Promise<string> {
  return cluster.ok(['get', 'events', '--field-selector', `involvedObject.kind=${kind},involvedObject.name=${name}`, '-o', 'custom-columns=R:.reason,M:.message,S:.source.component', '--no-headers']);
}

describe('persistent volumes: binder, PVC mounts, fsGroup', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    mkdirSync(localDisk, { recursive: true });
    await importBusybox(env);
    cluster = await startCluster({ dataDir, port: await freePort(), agent: true, extraArgs: ['--pod-cidr', podCidr] });
    nodeName = (await eventually('the node', async () => (await cluster.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined)).trim();
  });

  after(async () => {
    await cluster?.kubectl(['delete', 'statefulset', '--all', '--wait=true', '--timeout=30s']);
    await cleanUpAgentCluster(env, cluster);
  });

  test('a hostPath PV binds to a claim; a pod writes through it to the host, with fsGroup in id and on an emptyDir', async () => {
    await apply([hostPathPv('pv-host', hostPvDir, '1Gi'), claim('claim-host', '')]);
    await cluster.waitFor(['get', 'pvc', 'claim-host', '--no-headers'], /^claim-host\s+Bound\s+pv-host\s+1Gi\s+RWO\s/);
    await cluster.waitFor(['get', 'pv', 'pv-host', '--no-headers'], /^pv-host\s+1Gi\s+RWO\s+Retain\s+Bound\s+default\/claim-host\s/);
    const pvc = await cluster.json(['pvc', 'claim-host']);
    assert.equal(pvc.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(pvc.metadata.annotations['pv.kubernetes.io/bound-by-controller'], 'yes');

    await apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'writer' },
        spec: {
          terminationGracePeriodSeconds: 1,
          securityContext: { fsGroup: 2000 },
          containers: [
            {
              name: 'c',
              ...busybox,
              command: ['sh', '-c', 'echo hello > /data/out.txt; id; stat -c "scratch %g %A" /scratch; sleep 3600'],
              volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'scratch', mountPath: '/scratch' }],
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'claim-host' } }, { name: 'scratch', emptyDir: {} }],
        },
      },
    ]);
    await cluster.waitFor(['get', 'pod', 'writer', '--no-headers'], /Running/, 60_000);
    const pod = await cluster.json(['pod', 'writer']);
    const log = await eventually('the writer log', async () => (logOf(pod, 'c').includes('scratch') ? logOf(pod, 'c') : undefined));
    assert.match(log, /groups=.*\b2000\b/);
    assert.match(log, /scratch 2000 drwxrwsrwx/);
    assert.equal(readFileSync(join(hostPvDir, 'out.txt'), 'utf8'), 'hello\n');
    // hostPath volumes are not given the fsGroup (upstream: no ownership management).
    assert.notEqual(statSync(hostPvDir).gid, 2000);
  });

  test('a local PV behind a WaitForFirstConsumer class is bound when a pod uses the claim', async () => {
    await apply([
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-wait' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'pv-local' },
        spec: {
          capacity: { storage: '2Gi' },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: 'local-wait',
          local: { path: localDisk },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
        },
      },
      claim('claim-local', 'local-wait', '1Gi'),
    ]);
    await cluster.waitFor(['get', 'pv', 'pv-local', '--no-headers'], /\sAvailable\s/);
    await eventually('the WaitForFirstConsumer event', async () => ((await eventsOf('PersistentVolumeClaim', 'claim-local')).includes('WaitForFirstConsumer') ? true : undefined));
    assert.match(await eventsOf('PersistentVolumeClaim', 'claim-local'), /WaitForFirstConsumer\s+waiting for first consumer to be created before binding\s+persistentvolume-controller/);
    assert.match(await cluster.ok(['get', 'pvc', 'claim-local', '--no-headers']), /^claim-local\s+Pending\s/);

    await apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'local-user' },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'echo local > /disk/from-pod; sleep 3600'], volumeMounts: [{ name: 'disk', mountPath: '/disk' }] }],
          volumes: [{ name: 'disk', persistentVolumeClaim: { claimName: 'claim-local' } }],
        },
      },
    ]);
    await cluster.waitFor(['get', 'pvc', 'claim-local', '--no-headers'], /^claim-local\s+Bound\s+pv-local\s+2Gi\s/, 60_000);
    await cluster.waitFor(['get', 'pod', 'local-user', '--no-headers'], /Running/, 60_000);
    const pvc = await cluster.json(['pvc', 'claim-local']);
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'], undefined);
    await eventually('the file on the local disk', async () => (existsSync(join(localDisk, 'from-pod')) ? true : undefined));
    assert.equal(readFileSync(join(localDisk, 'from-pod'), 'utf8'), 'local\n');
    const pod = await cluster.json(['pod', 'local-user']);
    const mountPoint = join(dataDir, 'pods', pod.metadata.uid, 'volumes', 'kubernetes.io~local-volume', 'pv-local');
    assert.ok(readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mountPoint} `), 'the local PV is bind-mounted under the pod');
  });

  test('a pod whose claim is not bound stays ContainerCreating with FailedMount', async () => {
    await apply([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', ...busybox, command: ['sleep', '3600'] }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'nobody' } }] } },
    ]);
    await eventually('the FailedMount event', async () => ((await eventsOf('Pod', 'unbound')).includes('FailedMount') ? true : undefined));
    assert.match(await eventsOf('Pod', 'unbound'), /FailedMount\s+Unable to attach or mount volumes: unmounted volumes=\[v\], unattached volumes=\[\], failed to process volumes=\[v\]: error processing PVC default\/nobody: failed to fetch PVC from API server: persistentvolumeclaims "nobody" not found/);
    assert.match(await cluster.ok(['get', 'pod', 'unbound', '--no-headers']), /ContainerCreating/);
  });

  test('deleting the claim of a Retain volume leaves the volume Released', async () => {
    await cluster.ok(['delete', 'pod', 'writer', '--wait=true', '--timeout=60s']);
    await cluster.ok(['delete', 'pvc', 'claim-host', '--wait=true', '--timeout=30s']);
    await cluster.waitFor(['get', 'pv', 'pv-host', '--no-headers'], /^pv-host\s+1Gi\s+RWO\s+Retain\s+Released\s+default\/claim-host\s/);
    assert.equal(readFileSync(join(hostPvDir, 'out.txt'), 'utf8'), 'hello\n');
  });

  test('a claim in use is kept (pvc-protection) until its pod is gone; volumes carry pv-protection', async () => {
    const pv = await cluster.json(['pv', 'pv-local']);
    assert.ok(pv.metadata.finalizers.includes('kubernetes.io/pv-protection'));
    await cluster.ok(['delete', 'pvc', 'claim-local', '--wait=false']);
    await cluster.waitFor(['get', 'pvc', 'claim-local', '--no-headers'], /^claim-local\s+Terminating\s+pv-local\s/);
    const pvc = await cluster.json(['pvc', 'claim-local']);
    assert.deepEqual(pvc.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    await cluster.ok(['delete', 'pod', 'local-user', '--wait=true', '--timeout=60s']);
    await cluster.waitFor(['get', 'pv', 'pv-local', '--no-headers'], /^pv-local\s+2Gi\s+RWO\s+Retain\s+Released\s+default\/claim-local\s/);
    assert.equal((await cluster.kubectl(['get', 'pvc', 'claim-local'])).code, 1);
  });

  test('Delete policy: the hostPath deleter removes a /tmp volume with its PV; elsewhere the PV fails as upstream', async () => {
    const deletable = join(work, 'deletable-pv');
    mkdirSync(deletable);
    const pvDelete = (name: string, path: string) => {
      const pv = hostPathPv(name, path, '64Mi') as { spec: Record<string, unknown> };
      pv.spec['persistentVolumeReclaimPolicy'] = 'Delete';
      pv.spec['storageClassName'] = 'manual';
      return pv;
    };
    await apply([pvDelete('pv-tmp', deletable), claim('claim-tmp', 'manual', '64Mi')]);
    await cluster.waitFor(['get', 'pvc', 'claim-tmp', '--no-headers'], /^claim-tmp\s+Bound\s+pv-tmp\s/);
    await cluster.ok(['delete', 'pvc', 'claim-tmp', '--wait=true', '--timeout=30s']);
    await eventually('pv-tmp deleted', async () => ((await cluster.kubectl(['get', 'pv', 'pv-tmp'])).code === 1 ? true : undefined));
    assert.equal(existsSync(deletable), false);

    await apply([pvDelete('pv-elsewhere', '/k8ts-e2e-never-created/pv'), claim('claim-elsewhere', 'manual', '64Mi')]);
    await cluster.waitFor(['get', 'pvc', 'claim-elsewhere', '--no-headers'], /^claim-elsewhere\s+Bound\s+pv-elsewhere\s/);
    await cluster.ok(['delete', 'pvc', 'claim-elsewhere', '--wait=true', '--timeout=30s']);
    await cluster.waitFor(['get', 'pv', 'pv-elsewhere', '--no-headers'], /^pv-elsewhere\s+64Mi\s+RWO\s+Delete\s+Failed\s+default\/claim-elsewhere\s/);
    assert.match(await eventsOf('PersistentVolume', 'pv-elsewhere'), /VolumeFailedDelete\s+host_path deleter only supports \/tmp\/\.\+ but received provided \/k8ts-e2e-never-created\/pv/);
    assert.match(await cluster.ok(['describe', 'pv', 'pv-elsewhere']), /Message:\s+host_path deleter only supports/);
  });

  test("a StatefulSet's volumeClaimTemplates are bound to matching volumes", async () => {
    await apply([
      hostPathPv('pv-sts', stsDir, '500Mi'),
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web' },
        spec: {
          serviceName: 'web',
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', ...busybox, command: ['sh', '-c', 'hostname > /data/who; sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '200Mi' } } } }],
        },
      },
    ]);
    await cluster.waitFor(['get', 'pvc', 'data-web-0', '--no-headers'], /^data-web-0\s+Bound\s+pv-sts\s+500Mi\s/, 60_000);
    await cluster.waitFor(['get', 'pod', 'web-0', '--no-headers'], /Running/, 60_000);
    await eventually('the file from web-0', async () => (existsSync(join(stsDir, 'who')) ? true : undefined));
    assert.equal(readFileSync(join(stsDir, 'who'), 'utf8'), 'web-0\n');
  });
});
