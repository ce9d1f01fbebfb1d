import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../controllers/common/clock.js';
import { EvictionManager, type EvictionDeps, type EvictionRequest } from './manager.js';
import type { PodStats } from './pod-stats.js';
import type { Observations, Signal } from './signals.js';
import { parseEvictionHard } from './thresholds.js';

const mi = 1024 * 1024;

function pod(name: string, extra: { memoryRequest?: string; annotations?: Record<string, string> } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: name, annotations: extra.annotations },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: extra.memoryRequest ? { requests: { memory: extra.memoryRequest } } : {} }] },
  };
}

function harness(options: { thresholds: string; observations: Observations[]; pods: Pod[]; reclaim?: (signal: Signal) => void }) {
  const clock = new FakeClock();
  let pods = [...options.pods];
  const killed: { pod: string; request: EvictionRequest }[] = [];
  const podEvents: string[] = [];
  const nodeEvents: string[] = [];
  const changes: string[][] = [];
  let reading = 0;
  const deps: EvictionDeps = {
    config: { thresholds: parseEvictionHard(options.thresholds), pressureTransitionPeriodMs: 300_000 },
    clock,
    observe: async () => options.observations[Math.min(reading++, options.observations.length - 1)]!,
    activePods: () => pods,
    podStats: async (list) => new Map(list.map((p) => [p.metadata!.uid!, { containers: [{ name: 'c', memoryWorkingSetBytes: 10 * mi, rootfsBytes: mi, logsBytes: 0 }], volumeBytes: 0, volumeInodes: 0, processes: 1 } satisfies PodStats])),
    killPod: async (p, request) => {
      killed.push({ pod: p.metadata!.name!, request });
      pods = pods.filter((q) => q !== p);
    },
    recordPodEvent: (p, type, reason, message) => podEvents.push(`${p.metadata?.name} ${type} ${reason} ${message}`),
    recordNodeEvent: (type, reason, message) => nodeEvents.push(`${type} ${reason} ${message}`),
    onConditionsChanged: (conditions) => changes.push([...conditions]),
    log: () => undefined,
    ...(options.reclaim ? { reclaimer: { reclaim: async (signal: Signal) => options.reclaim!(signal) } } : {}),
  };
  return { manager: new EvictionManager(deps), killed, podEvents, nodeEvents, changes, clock };
}

const lowMemory: Observations = { 'memory.available': { available: 50 * mi, capacity: 8192 * mi }, 'nodefs.available': { available: 50_000 * mi, capacity: 100_000 * mi } };
const plenty: Observations = { 'memory.available': { available: 4096 * mi, capacity: 8192 * mi }, 'nodefs.available': { available: 50_000 * mi, capacity: 100_000 * mi } };

test('under memory pressure one pod is evicted per pass, BestEffort before Burstable, critical pods never', async () => {
  const h = harness({
    thresholds: 'memory.available<100Mi',
    observations: [lowMemory],
    pods: [pod('burstable', { memoryRequest: '1Gi' }), pod('mirror', { annotations: { 'kubernetes.io/config.mirror': 'x' } }), pod('besteffort')],
  });
  assert.deepEqual((await h.manager.synchronize()).map((p) => p.metadata?.name), ['besteffort']);
  assert.deepEqual(h.manager.conditions(), ['MemoryPressure']);
  assert.deepEqual(h.changes, [['MemoryPressure']]);
  assert.deepEqual(h.nodeEvents, ['Warning EvictionThresholdMet Attempting to reclaim memory']);
  const first = h.killed[0]!.request;
  assert.equal(first.gracePeriodSeconds, 0);
  assert.equal(first.reason, 'Evicted');
  assert.equal(first.message, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container c was using 10Mi, request is 0, has larger consumption of memory. ');
  assert.deepEqual({ ...first.condition, lastTransitionTime: undefined }, { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: first.message, lastTransitionTime: undefined });
  assert.equal(h.podEvents[0], `besteffort Warning Evicted ${first.message}`);
  assert.deepEqual((await h.manager.synchronize()).map((p) => p.metadata?.name), ['burstable']);
  assert.equal(h.killed[1]!.request.message, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. ');
  assert.deepEqual(await h.manager.synchronize(), []);
  assert.deepEqual(h.killed.map((k) => k.pod), ['besteffort', 'burstable']);
});

test('no threshold met: no pressure, no eviction', async () => {
  const h = harness({ thresholds: 'memory.available<100Mi', observations: [plenty], pods: [pod('a')] });
  assert.deepEqual(await h.manager.synchronize(), []);
  assert.deepEqual(h.manager.conditions(), []);
  assert.deepEqual(h.killed, []);
});

test('the pressure condition stays for the transition period after memory recovers; admission follows it', async () => {
  const h = harness({ thresholds: 'memory.available<100Mi', observations: [lowMemory, plenty], pods: [] });
  await h.manager.synchronize();
  assert.equal(h.manager.admit(pod('new')).admit, false);
  h.clock.step(60_000);
  await h.manager.synchronize();
  assert.deepEqual(h.manager.conditions(), ['MemoryPressure']);
  h.clock.step(240_000);
  await h.manager.synchronize();
  assert.deepEqual(h.manager.conditions(), []);
  assert.deepEqual(h.changes, [['MemoryPressure'], []]);
  assert.equal(h.manager.admit(pod('new')).admit, true);
});

test('disk pressure asks the reclaimer first and evicts nobody when that was enough', async () => {
  const full: Observations = { 'nodefs.available': { available: mi, capacity: 100 * mi } };
  const freed: Observations = { 'nodefs.available': { available: 50 * mi, capacity: 100 * mi } };
  const reclaimed: Signal[] = [];
  const h = harness({ thresholds: 'nodefs.available<10%', observations: [full, freed], pods: [pod('a')], reclaim: (s) => reclaimed.push(s) });
  assert.deepEqual(await h.manager.synchronize(), []);
  assert.deepEqual(reclaimed, ['nodefs.available']);
  assert.deepEqual(h.manager.conditions(), ['DiskPressure']);
  assert.deepEqual(h.killed, []);
});

test('disk pressure the reclaimer cannot relieve evicts a pod with a disk message', async () => {
  const full: Observations = { 'nodefs.available': { available: mi, capacity: 100 * mi } };
  const h = harness({ thresholds: 'nodefs.available<10%', observations: [full], pods: [pod('a')], reclaim: () => undefined });
  assert.deepEqual((await h.manager.synchronize()).map((p) => p.metadata?.name), ['a']);
  assert.match(h.killed[0]!.request.message, /^The node was low on resource: ephemeral-storage\. Threshold quantity: 10Mi, available: 1Mi\. Container c was using 1Mi, request is 0, has larger consumption of ephemeral-storage\. $/);
});
