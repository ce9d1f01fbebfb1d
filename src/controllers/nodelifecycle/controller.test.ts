import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { NodeLifecycleController } from './controller.js';

const start = Date.parse('2024-01-01T00:00:00Z');

function node(name: string, ready: string, options: { taints?: Taint[]; zone?: string; heartbeatMs?: number } = {}): KubeObject {
  const heartbeat = rfc3339(options.heartbeatMs ?? start);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: rfc3339(start - 3600_000), labels: options.zone ? { 'topology.kubernetes.io/zone': options.zone } : {} },
    spec: options.taints ? { taints: options.taints } : {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: heartbeat, lastTransitionTime: heartbeat },
        { type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: heartbeat, lastTransitionTime: heartbeat },
      ],
    },
  };
}

function lease(name: string, renewMs: number): KubeObject {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime: new Date(renewMs).toISOString() } };
}

function pod(name: string, nodeName: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', resourceVersion: '1' }, spec: { nodeName, containers: [] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
}

function setup(nodes: KubeObject[], leases: KubeObject[], pods: KubeObject[] = []) {
  const clock = new FakeClock(start);
  const nodesInformer = fakeInformer(nodes);
  const leasesInformer = fakeInformer(leases);
  const writes: string[] = [];
  const recorder = new RecordingEventRecorder();
  const apply = (object: KubeObject): KubeObject => {
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(Number(object.metadata?.resourceVersion ?? 1) + 1) } };
    nodesInformer.store.upsert(stored);
    return stored;
  };
  const controller = new NodeLifecycleController({
    nodes: nodesInformer,
    pods: fakeInformer(pods),
    leases: leasesInformer,
    recorder,
    clock,
    settings: { nodeMonitorGracePeriodMs: 40_000 },
    nodeClient: {
      get: async (_ns, name) => structuredClone(nodesInformer.store.get(name)!),
      update: async (_ns, object) => {
        writes.push(`taints ${object.metadata?.name}: ${((object as Node).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',')}`);
        return apply(object);
      },
      patch: async (_ns, name, patch) => {
        writes.push(`labels ${name}: ${JSON.stringify((patch as { metadata: { labels: unknown } }).metadata.labels)}`);
        return nodesInformer.store.get(name)!;
      },
      updateStatus: async (_ns, object) => {
        writes.push(`status ${object.metadata?.name}: ${(object as Node).status?.conditions?.map((c) => `${c.type}=${c.status}`).join(',')}`);
        return apply(object);
      },
    },
    podClient: {
      updateStatus: async (_ns, object) => {
        writes.push(`pod ${object.metadata?.name} ready=${(object.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')?.status}`);
        return object;
      },
    },
  });
  return { controller, clock, writes, recorder, nodesInformer, leasesInformer };
}

test('a node whose Lease keeps being renewed stays Ready', async () => {
  const { controller, clock, writes, leasesInformer } = setup([node('a', 'True')], [lease('a', start)]);
  await controller.monitorNodeHealth();
  for (let i = 1; i <= 10; i++) {
    clock.step(10_000);
    leasesInformer.store.upsert(lease('a', start + i * 10_000));
    await controller.monitorNodeHealth();
  }
  assert.deepEqual(writes, []);
});

test('a silent node goes Unknown after the grace period, is tainted unreachable NoExecute, and its pods are marked not ready', async () => {
  const { controller, clock, writes, recorder, nodesInformer } = setup([node('a', 'True'), node('b', 'True'), node('c', 'True')], [lease('a', start), lease('b', start), lease('c', start)], [pod('p', 'a')]);
  await controller.monitorNodeHealth();
  clock.step(40_000);
  await controller.monitorNodeHealth();
  assert.equal(writes.length, 0);
  clock.step(1_000);
  await controller.monitorNodeHealth();
  // Conditions the kubelet never posted are added as Unknown too.
  assert.deepEqual(
    writes.filter((w) => w.startsWith('status')),
    ['a', 'b', 'c'].map((name) => `status ${name}: MemoryPressure=Unknown,Ready=Unknown,DiskPressure=Unknown,PIDPressure=Unknown`),
  );
  const conditions = (nodesInformer.store.get('a') as Node).status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  assert.equal(ready?.reason, 'NodeStatusUnknown');
  assert.equal(ready?.message, 'Kubelet stopped posting node status.');
  assert.equal(conditions.find((c) => c.type === 'DiskPressure')?.reason, 'NodeStatusNeverUpdated');
  assert.ok(writes.includes('pod p ready=False'));
  assert.ok(recorder.events.includes('Normal NodeNotReady Node a status is now: NodeNotReady'));
  assert.ok(recorder.events.includes('Warning NodeNotReady Node is not ready'));
});

test('NoExecute taints are added one node at a time at the eviction rate, and removed when the node is back', async () => {
  // Four nodes, one zone; two fail: 50 % is below the unhealthy threshold, so the zone stays Normal.
  const nodes = ['a', 'b', 'c', 'd'].map((name) => node(name, 'True'));
  const { controller, clock, writes, leasesInformer, nodesInformer } = setup(nodes, ['a', 'b', 'c', 'd'].map((name) => lease(name, start)));
  await controller.monitorNodeHealth();
  clock.step(41_000);
  for (const name of ['c', 'd']) leasesInformer.store.upsert(lease(name, clock.now()));
  await controller.monitorNodeHealth(); // a and b go Unknown
  await controller.monitorNodeHealth(); // now observed Unknown: queued for tainting
  writes.length = 0;
  await controller.doNoExecuteTaintingPass();
  await controller.doNoExecuteTaintingPass();
  assert.deepEqual(writes, ['taints a: node.kubernetes.io/unreachable:NoExecute']);
  clock.step(10_000); // 0.1 per second: the next token after 10 s
  await controller.doNoExecuteTaintingPass();
  assert.deepEqual(writes, ['taints a: node.kubernetes.io/unreachable:NoExecute', 'taints b: node.kubernetes.io/unreachable:NoExecute']);
  const taint = (nodesInformer.store.get('a') as Node).spec?.taints?.[0];
  assert.equal(taint?.timeAdded, rfc3339(clock.now() - 10_000));

  // a reports Ready again: the taint comes off on the next pass.
  writes.length = 0;
  const back = structuredClone(nodesInformer.store.get('a')!) as unknown as Node & { status: { conditions: { type: string; status: string; lastHeartbeatTime: string }[] } };
  back.status.conditions = back.status.conditions.map((c) => ({ ...c, status: c.type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: rfc3339(clock.now()) }));
  nodesInformer.store.upsert(back as unknown as KubeObject);
  await controller.monitorNodeHealth();
  assert.ok(writes.includes('taints a: '), writes.join('\n'));
});

test('when every node is silent, nothing is tainted NoExecute (master disruption mode)', async () => {
  const { controller, clock, writes } = setup([node('a', 'True'), node('b', 'True')], [lease('a', start), lease('b', start)]);
  await controller.monitorNodeHealth();
  clock.step(41_000);
  await controller.monitorNodeHealth();
  await controller.monitorNodeHealth();
  writes.length = 0;
  clock.step(60_000);
  await controller.doNoExecuteTaintingPass();
  assert.deepEqual(writes, []);
});

test('NoSchedule taints mirror the conditions and spec.unschedulable', async () => {
  const notReady = node('a', 'False');
  (notReady.spec as { unschedulable?: boolean }).unschedulable = true;
  const { controller, writes } = setup([notReady, node('b', 'True', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'custom', effect: 'NoSchedule' }] })], []);
  await controller.doNoScheduleTaintingPass('a');
  await controller.doNoScheduleTaintingPass('b');
  assert.deepEqual(writes, ['taints a: node.kubernetes.io/not-ready:NoSchedule,node.kubernetes.io/unschedulable:NoSchedule', 'taints b: custom:NoSchedule']);
});

test('beta os/arch labels follow the stable ones', async () => {
  const labelled = node('a', 'True');
  labelled.metadata!.labels = { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/arch': 'arm64' };
  const { controller, writes } = setup([labelled], []);
  await controller.doNoScheduleTaintingPass('a');
  assert.deepEqual(writes, ['labels a: {"beta.kubernetes.io/os":"linux","beta.kubernetes.io/arch":"amd64"}']);
});
