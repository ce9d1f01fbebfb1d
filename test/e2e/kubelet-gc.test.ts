// The kubelet's garbage collection on real containers, driven by the real kubectl: a crash-looping
// container keeps one dead instance before its current one (and `logs --previous` still works),
// an unused image is collected above --image-gc-high-threshold while the running pod's image
// stays and the Node's status.images follows, and a pod force-deleted while the agent was down
// leaves no directory behind. GC periods are shortened through the agent's test hooks.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImageStore } from '../../src/runtime/images/image-store.js';
import { importImages } from '../../src/runtime/images/import.js';
import { buildBusyboxLayout } from '../../src/runtime/testing/busybox-layout.js';
import { containerGcPeriodEnv, imageGcPeriodEnv } from '../../src/kubelet/gc/garbage-collector.js';
import { agentTestEnv, cleanUpAgentCluster, importBusybox } from './agent-cluster.js';
import { eventually, freePort, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-kubelet-gc-e2e-');
const { dataDir, podCidr } = env;
let cluster: TestCluster | undefined;
let port: number;

// The server inherits these: container GC every second, image GC every 2 s (upstream: 1 min, 5 min).
process.env[containerGcPeriodEnv] = '1s';
process.env[imageGcPeriodEnv] = '2s';

async function start(options: { agent?: boolean; extraArgs?: string[] } = {}): Promise<TestCluster> {
  return startCluster({ dataDir, port, agent: options.agent ?? true, extraArgs: ['--pod-cidr', podCidr, ...(options.extraArgs ?? [])] });
}

function c(): TestCluster {
  assert.ok(cluster, 'no cluster running');
  return cluster;
}

async function pod(name: string): Promise<any> {
  return JSON.parse(await c().ok(['get', 'pod', name, '-o', 'json']));
}

function manifest(name: string, spec: object): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
}

const busybox = { image: 'busybox', imagePullPolicy: 'IfNotPresent' };

/** The runtime's containers of a pod's container, read from its records on disk (newest first). */
function instances(uid: string, container: string): { id: string; attempt: number; dead: boolean }[] {
  const dir = join(dataDir, 'runtime', 'containers');
  const found: { id: string; attempt: number; dead: boolean; createdAtNs: number }[] = [];
  for (const id of existsSync(dir) ? readdirSync(dir) : []) {
    const file = join(dir, id, 'record.json');
    if (!existsSync(file)) continue;
    const record = JSON.parse(readFileSync(file, 'utf8'));
    const labels = record.config?.labels ?? {};
    if (labels['io.kubernetes.pod.uid'] !== uid || labels['io.kubernetes.container.name'] !== container) continue;
    found.push({ id, attempt: record.config.metadata.attempt, dead: existsSync(join(dir, id, 'exit')) || record.finishedAtNs !== undefined, createdAtNs: record.createdAtNs });
  }
  return found.sort((a, b) => b.createdAtNs - a.createdAtNs).map(({ id, attempt, dead }) => ({ id, attempt, dead }));
}

function nodeImageNames(node: any): string[] {
  return (node.status?.images ?? []).flatMap((i: any) => i.names ?? []);
}

describe('kubelet: container and image garbage collection', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    await importBusybox(env);
    port = await freePort();
    cluster = await start();
  });

  after(async () => {
    await cleanUpAgentCluster(env, cluster);
  });

  test('a crash-looping container keeps one dead instance before its current one; logs --previous and lastState still work', async () => {
    await c().ok(['apply', '-f', '-'], { input: manifest('crash', { restartPolicy: 'Always', containers: [{ name: 'main', ...busybox, command: ['sh', '-c', 'echo attempt-$(date +%s); exit 1'] }] }) });
    const crashing = await eventually('two restarts', async () => {
      const p = await pod('crash');
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
    }, 60_000);
    const uid = crashing.metadata.uid;
    // Three instances were made (attempts 0, 1, 2); the collector (every second here) leaves two.
    const left = await eventually('the oldest dead instance collected', async () => {
      const list = instances(uid, 'main');
      return list.length === 2 && list[0]!.attempt >= 2 ? list : undefined;
    }, 20_000);
    assert.equal(left[1]!.attempt, left[0]!.attempt - 1, 'the one kept is the instance just before the current one');
    assert.ok(left[1]!.dead);
    const status = (await pod('crash')).status.containerStatuses[0];
    assert.equal(status.lastState?.terminated?.exitCode, 1);
    const previous = await c().ok(['logs', 'crash', '--previous']);
    assert.match(previous, /^attempt-\d+\n$/);
    // It stays bounded while the pod keeps crashing.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.ok(instances(uid, 'main').length <= 3, 'at most one new instance between two collections');
    }
    await c().ok(['delete', 'pod', 'crash', '--wait=true', '--timeout=30s']);
    await eventually('every instance of the deleted pod gone', async () => (instances(uid, 'main').length === 0 ? true : undefined), 20_000);
  });

  test('a pod force-deleted while the agent is down leaves no pod or log directory; nor does a directory no sandbox accounts for', async () => {
    await c().ok(['apply', '-f', '-'], { input: manifest('keeper', { containers: [{ name: 'c', ...busybox, command: ['sleep', '3600'] }] }) });
    await c().ok(['apply', '-f', '-'], { input: manifest('doomed', { containers: [{ name: 'c', ...busybox, command: ['sleep', '3600'] }], volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory' } }] }) });
    const doomed = await eventually('both pods running', async () => {
      const [k, d] = [await pod('keeper'), await pod('doomed')];
      return k.status?.phase === 'Running' && d.status?.phase === 'Running' ? d : undefined;
    }, 60_000);
    const uid = doomed.metadata.uid;
    assert.ok(existsSync(join(dataDir, 'pods', uid)));
    assert.equal(await c().stop(), 0);
    // The API alone (no agent) to force-delete it, as someone would while the node is down.
    cluster = await start({ agent: false });
    await c().ok(['delete', 'pod', 'doomed', '--grace-period=0', '--force']);
    assert.equal(await c().stop(), 0);
    cluster = undefined;
    // A directory only (a teardown cut short): no sandbox, no pod.
    const stray = '0b7c3f2e-0000-4000-8000-000000000001';
    mkdirSync(join(dataDir, 'pods', stray, 'volumes', 'kubernetes.io~empty-dir', 'v'), { recursive: true });
    writeFileSync(join(dataDir, 'pods', stray, 'volumes', 'kubernetes.io~empty-dir', 'v', 'f'), 'x');
    mkdirSync(join(dataDir, 'log', 'pods', `default_stray_${stray}`, 'c'), { recursive: true });
    // An image no container uses, stored while the agent is down (for the next test).
    const layout = join(env.work, 'spare-layout');
    await buildBusyboxLayout(layout);
    const store = new ImageStore(join(dataDir, 'runtime', 'images'));
    await store.init();
    await importImages(store, layout, { name: 'spare' });
    cluster = await start({ extraArgs: ['--image-gc-high-threshold=1', '--image-gc-low-threshold=0', '--image-minimum-gc-age=0s'] });
    await eventually('the orphaned directories removed', async () => (!existsSync(join(dataDir, 'pods', uid)) && !existsSync(join(dataDir, 'pods', stray)) && !existsSync(join(dataDir, 'log', 'pods', `default_stray_${stray}`)) ? true : undefined), 30_000);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    assert.ok(!mounts.includes(join(dataDir, 'pods', uid)), 'the memory-backed emptyDir is unmounted');
    assert.equal((await pod('keeper')).status.containerStatuses[0].restartCount, 0, 'the other pod was adopted, not restarted');
  });

  test('above --image-gc-high-threshold an unused image is removed, the running pod\'s stays, and the Node reports it', async () => {
    const node = await eventually('the node without the spare image', async () => {
      const nodes = JSON.parse(await c().ok(['get', 'nodes', '-o', 'json'])).items as any[];
      const n = nodes[0];
      return n && !nodeImageNames(n).some((name) => name.includes('spare')) ? n : undefined;
    }, 30_000);
    assert.ok(nodeImageNames(node).some((name) => name.includes('library/busybox')), 'the image of the running pod stays');
    const stored = JSON.parse(readFileSync(join(dataDir, 'runtime', 'images', 'images.json'), 'utf8')) as { names: string[] }[];
    assert.deepEqual(stored.flatMap((r) => r.names), ['docker.io/library/busybox:latest']);
    // Usage cannot get down to 0 %: upstream's FreeDiskSpaceFailed, then ImageGCFailed when it repeats.
    const events = await eventually('ImageGCFailed on the Node', async () => {
      const list = JSON.parse(await c().ok(['get', 'events', '-o', 'json'])).items as any[];
      const failed = list.filter((e) => e.involvedObject?.kind === 'Node' && e.reason === 'ImageGCFailed');
      return failed.length > 0 ? list : undefined;
    }, 30_000);
    const freeFailed = events.find((e: any) => e.reason === 'FreeDiskSpaceFailed');
    assert.match(freeFailed?.message ?? '', /^Failed to garbage collect required amount of images\. Attempted to free \d+ bytes, but only found \d+ bytes eligible to free\.$/);
    assert.equal(freeFailed.source?.component, 'kubelet');
  });
});
