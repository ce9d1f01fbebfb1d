// Scheduler loop throughput without the API server: the real Scheduler (cache, queue, default
// profile, assume, async binding) on N nodes with M pending pods, the API replaced by a binder
// that answers at once and an informer stand-in that confirms each binding as the watch would.
// Measures what the scheduling loop itself sustains (scheduler.bench.ts measures the whole
// cluster); asserts nothing about time.
//
//   node dist/bench/scheduler-loop.bench.js [--nodes 5000] [--pods 10000] [--owned 0.5]
//     --owned: share of pods owned by a ReplicaSet (system-default topology spreading applies to them)
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SchedulerCache } from '../src/scheduler/cache/cache.js';
import { Framework } from '../src/scheduler/framework/framework.js';
import { defaultProfile, inTreeRegistry } from '../src/scheduler/registry.js';
import type { SchedulerApi } from '../src/scheduler/runtime/api.js';
import { registryWithBinder } from '../src/scheduler/runtime/run.js';
import { Scheduler } from '../src/scheduler/runtime/scheduler.js';
import { deepFreeze } from '../src/client/index.js';
import { makeNode, makePod } from '../src/scheduler/testing.js';

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} wants a number`);
  return value;
}
const numNodes = numberArg('nodes', 5000);
const numPods = numberArg('pods', 10000);
const ownedShare = numberArg('owned', 0.5);

const replicaSets: ReplicaSet[] = Array.from({ length: 20 }, (_, i) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: `rs-${i}`, namespace: 'default', uid: `rs-uid-${i}` },
  spec: { selector: { matchLabels: { app: `app-${i}` } }, template: {} },
}));

const pods = new Map<string, Pod>();
let bound = 0;
let scheduler!: Scheduler;
let finished: () => void = () => undefined;
const api: SchedulerApi = {
  async bind(pod, nodeName) {
    bound++;
    // The watch event a real binding produces, delivered after the response like the informer's.
    const boundPod = deepFreeze({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' }, spec: { ...pod.spec!, nodeName } });
    setImmediate(() => {
      const key = `default/${pod.metadata!.name}`;
      const old = pods.get(key)!;
      pods.set(key, boundPod);
      scheduler.onPodUpdate(old, boundPod);
      if (bound === numPods) finished();
    });
  },
  async patchPodStatus() {},
  async deletePod() {},
  event() {},
};

const cache = new SchedulerCache({ objects: { replicaSets, services: [], replicationControllers: [], statefulSets: [], podDisruptionBudgets: [] } });
scheduler = new Scheduler({
  frameworks: [Framework.create(registryWithBinder(inTreeRegistry, api), defaultProfile())],
  api,
  cache,
  currentPod: (ns, name) => pods.get(`${ns}/${name}`),
});
const zones = ['zone-a', 'zone-b', 'zone-c'];
for (let i = 0; i < numNodes; i++) {
  scheduler.onNodeAdd(makeNode(`node-${i}`, { cpu: '32', memory: '128Gi', pods: '110', labels: { 'topology.kubernetes.io/zone': zones[i % zones.length]! } }));
}
for (let i = 0; i < numPods; i++) {
  const owned = i < numPods * ownedShare;
  const rs = i % replicaSets.length;
  const template = makePod(`pod-${i}`, { cpu: '100m', memory: '128Mi', labels: owned ? { app: `app-${rs}` } : undefined });
  const ownerReferences = owned ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${rs}`, uid: `rs-uid-${rs}`, controller: true }] : undefined;
  const pod: Pod = { ...template, metadata: { ...template.metadata, resourceVersion: '1', ownerReferences } };
  // Informer objects are deep-frozen; the scheduler relies on it to reuse per-pod computations.
  deepFreeze(pod);
  pods.set(`default/${pod.metadata!.name}`, pod);
  scheduler.onPodAdd(pod);
}

const done = new Promise<void>((resolve) => (finished = resolve));
const abort = new AbortController();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const running = scheduler.run(abort.signal);
await done;
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// On a shared machine wall time mostly measures the neighbours; CPU time per pod does not.
const cpuMsPerPod = (cpu.user + cpu.system) / 1000 / numPods;
abort.abort();
await running;
const perSecond = Math.round((numPods / elapsedMs) * 1000);
const podsPerNode = cache.snapshot.nodeInfoList.map((n) => n.pods.length);
process.stdout.write(
  `scheduler loop: ${numPods} pods on ${numNodes} nodes (${Math.round(ownedShare * 100)}% ReplicaSet-owned) in ${Math.round(elapsedMs)} ms: ${perSecond} pods/s; ` +
    `${cpuMsPerPod.toFixed(2)} ms CPU per pod (${Math.round(1000 / cpuMsPerPod)} pods per CPU-second); pods per node min ${Math.min(...podsPerNode)} max ${Math.max(...podsPerNode)}\n`,
);
process.stdout.write(
  `${JSON.stringify({ nodes: numNodes, pods: numPods, ownedShare, elapsedMs: Math.round(elapsedMs), podsPerSecond: perSecond, cpuMsPerPod: Math.round(cpuMsPerPod * 1000) / 1000 })}\n`,
);
