// Node-pressure eviction on real containers, driven by the real kubectl. Pressure is made real
// without exhausting the machine: the agent is restarted with a hard threshold above what the
// host has (memory.available<MemTotal+1Gi, nodefs.available<99%), so the signal is always under
// it. Then: MemoryPressure and its taint, BestEffort pods evicted before the Burstable one, each
// Failed/Evicted with upstream's message and DisruptionTarget condition, the pod objects kept
// (the ReplicaSet makes a replacement), the static pod left alone, new BestEffort pods rejected;
// and DiskPressure with its taint.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentTestEnv, cleanUpAgentCluster, importBusybox, writeStaticWebManifest } from './agent-cluster.js';
import { eventually, freePort, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const env = agentTestEnv('k8ts-kubelet-eviction-e2e-');
const { dataDir, podCidr } = env;
let cluster: TestCluster | undefined;
let port: number;

const memTotalKi = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
const impossibleMemory = `${memTotalKi + 1024 * 1024}Ki`;

async function start(extraArgs: string[] = []): Promise<TestCluster> {
  return startCluster({ dataDir, port, agent: true, extraArgs: ['--pod-cidr', podCidr, ...extraArgs] });
}

function c(): TestCluster {
  assert.ok(cluster, 'no cluster running');
  return cluster;
}

async function restart(extraArgs: string[]): Promise<void> {
  await c().stop();
  cluster = undefined;
  cluster = await start(extraArgs);
}

async function pod(name: string): Promise<any> {
  return JSON.parse(await c().ok(['get', 'pod', name, '-o', 'json']));
}

async function node(): Promise<any> {
  const nodes = JSON.parse(await c().ok(['get', 'nodes', '-o', 'json'])).items as any[];
  assert.equal(nodes.length, 1);
  return nodes[0];
}

const condition = (n: any, type: string): any => n.status?.conditions?.find((x: any) => x.type === type);
const busybox = { image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] };

function podManifest(name: string, spec: object, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
}

describe('kubelet: node-pressure eviction', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    await importBusybox(env);
    writeStaticWebManifest(env);
    port = await freePort();
    cluster = await start();
  });

  after(async () => {
    rmSync(join(dataDir, 'manifests'), { recursive: true, force: true });
    await cleanUpAgentCluster(env, cluster);
  });

  test('memory pressure: condition and taint, BestEffort evicted before Burstable, static pod kept, BestEffort admission refused', async () => {
    const nodeName = (await node()).metadata.name as string;
    await c().ok(['apply', '-f', '-'], { input: podManifest('besteffort', { containers: [{ name: 'c', ...busybox }] }) });
    await c().ok(['apply', '-f', '-'], { input: podManifest('burstable', { containers: [{ name: 'c', ...busybox, resources: { requests: { memory: '64Mi', cpu: '10m' } } }] }) });
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', ...busybox }] } } } };
    await c().ok(['apply', '-f', '-'], { input: JSON.stringify(deployment) });
    const mirror = `static-web-${nodeName}`;
    await eventually(
      'every pod Running',
      async () => {
        const pods = JSON.parse(await c().ok(['get', 'pods', '-o', 'json'])).items as any[];
        const running = pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).map((p) => p.metadata.name as string);
        return running.length === 4 && ['besteffort', 'burstable', mirror].every((n) => running.includes(n)) ? running : undefined;
      },
      60_000,
    );
    assert.equal(condition(await node(), 'MemoryPressure').status, 'False');

    // The agent again, now with memory.available always under its threshold.
    await restart(['--eviction-hard', `memory.available<${impossibleMemory}`, '--eviction-pressure-transition-period', '30s']);
    const pressured = await eventually('MemoryPressure=True', async () => {
      const n = await node();
      return condition(n, 'MemoryPressure')?.status === 'True' ? n : undefined;
    });
    assert.equal(condition(pressured, 'MemoryPressure').reason, 'KubeletHasInsufficientMemory');
    assert.equal(condition(pressured, 'MemoryPressure').message, 'kubelet has insufficient memory available');
    assert.equal(condition(pressured, 'Ready').status, 'True');
    await eventually('the memory-pressure taint', async () => ((await node()).spec?.taints ?? []).find((t: any) => t.key === 'node.kubernetes.io/memory-pressure' && t.effect === 'NoSchedule'));

    const evicted = await eventually(
      'besteffort, web and burstable evicted',
      async () => {
        const pods = JSON.parse(await c().ok(['get', 'pods', '-o', 'json'])).items as any[];
        const failed = pods.filter((p) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted' && p.status.containerStatuses?.[0]?.state?.terminated);
        return failed.length === 3 ? failed : undefined;
      },
      60_000,
    );
    const byName = new Map(evicted.map((p) => [p.metadata.name.startsWith('web-') ? 'web' : p.metadata.name, p]));
    const be = byName.get('besteffort');
    const bu = byName.get('burstable');
    assert.ok(be && bu && byName.get('web'), [...byName.keys()].join());
    assert.match(be.status.message, new RegExp(`^The node was low on resource: memory\\. Threshold quantity: ${impossibleMemory}, available: \\d+(Ki|Mi|Gi)?\\. Container c was using \\d+(Ki|Mi)?, request is 0, has larger consumption of memory\\. $`));
    // The Burstable pod uses less than its 64Mi request: no container sentence.
    assert.match(bu.status.message, new RegExp(`^The node was low on resource: memory\\. Threshold quantity: ${impossibleMemory}, available: \\d+(Ki|Mi|Gi)?\\. $`));
    const disruption = be.status.conditions.find((x: any) => x.type === 'DisruptionTarget');
    assert.deepEqual([disruption.status, disruption.reason, disruption.message], ['True', 'TerminationByKubelet', be.status.message]);
    assert.equal(be.status.containerStatuses[0].state.terminated.exitCode, 137);

    // One pod per pass, ranked: both BestEffort pods (over their zero request) before the Burstable one.
    const events = JSON.parse(await c().ok(['get', 'events', '--field-selector', 'reason=Evicted', '-o', 'json'])).items as any[];
    const order = events.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion)).map((e) => (e.involvedObject.name.startsWith('web-') ? 'web' : e.involvedObject.name));
    // A replacement web pod bound before the taint landed is refused by admission with an Evicted
    // event too (as upstream's kubelet), so compare where each pod's first eviction came.
    assert.ok(order.indexOf('burstable') > order.indexOf('besteffort') && order.indexOf('burstable') > order.indexOf('web'), order.join());
    assert.deepEqual(new Set(order), new Set(['besteffort', 'web', 'burstable']));
    assert.equal(events.find((e) => e.involvedObject.name === 'besteffort')?.message, be.status.message);

    const described = await c().ok(['describe', 'pod', 'besteffort']);
    assert.match(described, /Status:\s+Failed/);
    assert.match(described, /Reason:\s+Evicted/);
    assert.match(described, /Message:\s+The node was low on resource: memory\. Threshold quantity: /);
    assert.match(described, /Warning\s+Evicted\s+.*kubelet\s+The node was low on resource: memory\./);
    // Upstream's printer shows the pod reason until the containers' terminated states arrive, then theirs.
    assert.match(await c().ok(['get', 'pod', 'besteffort', '--no-headers']), /^besteffort\s+0\/1\s+(Evicted|Error)\s/);

    // The pod objects stay; the ReplicaSet replaces its evicted pod (which the taint keeps unscheduled).
    await eventually('a replacement web pod', async () => {
      const pods = JSON.parse(await c().ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items as any[];
      return pods.some((p) => p.status?.phase !== 'Failed') && pods.some((p) => p.status?.reason === 'Evicted') ? pods : undefined;
    });
    // The static pod is critical: never evicted.
    assert.equal((await pod(mirror)).status.phase, 'Running');

    // Admission: a new BestEffort pod is refused while the node is under memory pressure.
    await c().ok(['apply', '-f', '-'], { input: podManifest('late', { nodeName, containers: [{ name: 'c', ...busybox }] }) });
    const late = await eventually('late rejected', async () => {
      const p = await pod('late');
      return p.status?.phase === 'Failed' ? p : undefined;
    });
    assert.deepEqual([late.status.reason, late.status.message], ['Evicted', 'Pod was rejected: The node had condition: [MemoryPressure]. ']);
    assert.match(await c().ok(['get', 'pod', 'late', '--no-headers']), /^late\s+0\/1\s+Evicted\s/);
    // Without the taint its replacements would land here and be refused in a loop, as upstream's would.
    await c().ok(['delete', 'deployment', 'web']);
  });

  test('disk pressure: nodefs.available under its threshold sets DiskPressure and the disk-pressure taint', async () => {
    await restart(['--eviction-hard', 'nodefs.available<99%']);
    const pressured = await eventually('DiskPressure=True', async () => {
      const n = await node();
      return condition(n, 'DiskPressure')?.status === 'True' ? n : undefined;
    });
    assert.equal(condition(pressured, 'DiskPressure').reason, 'KubeletHasDiskPressure');
    assert.equal(condition(pressured, 'MemoryPressure').status, 'False');
    await eventually('the disk-pressure taint', async () => ((await node()).spec?.taints ?? []).find((t: any) => t.key === 'node.kubernetes.io/disk-pressure' && t.effect === 'NoSchedule'));
    const events = await c().ok(['get', 'events', '--field-selector', 'involvedObject.kind=Node', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
    assert.match(events, /EvictionThresholdMet\s+Attempting to reclaim ephemeral-storage/);
    assert.match(events, /NodeHasDiskPressure\s+Node \S+ status is now: NodeHasDiskPressure/);
  });
});
