// Pod start-up benchmark (issue 7): create → Running (as a watch sees it) for batches of 1, 10
// and 100 busybox pods on one real node — a `k8ts agent` process beside a `k8ts server
// --disable-agent`, so the scheduler, the API server and the kubelet are all in the path — beside
// bare `runc run` / `crun run` of as many /bin/true containers at once; and the agent's RSS with
// the 100 pods running. Needs root, runc, crun, umoci and the CNI plugins. Prints figures;
// asserts nothing about time.
//
//   npm run bench:pods
//   BENCH_BATCHES=1,10 BENCH_RUNTIMES=crun npm run bench:pods
//   BENCH_CPU_PROF=/tmp/prof npm run bench:pods      # also V8 CPU profiles of the server and the agents
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../src/api/object.js';
import { loadKubeconfig, RestClient, type ResourceRef } from '../src/client/index.js';
import { OciRuntime, type OciRuntimeName } from '../src/runtime/driver/oci-runtime.js';
import { buildBusyboxLayout } from '../src/runtime/testing/busybox-layout.js';
import { agentTestEnv, importBusybox, removeAgentLeftovers, type AgentTestEnv } from '../test/e2e/agent-cluster.js';
import { bareBundleSlot, bareRun, prepareBareBundle, removeBareContainers, removeCgroupTree } from './lib/bare-oci.js';
import { spawnK8ts, startK8tsServer, type K8tsProcess, type ServerProcess } from './lib/processes.js';
import { mib, ms, percentile, round, table } from './lib/stats.js';
import { k8tsEntry } from './lib/node-flags.js';

const batches = (process.env.BENCH_BATCHES ?? '1,10,100').split(',').map(Number);
const runtimeNames = (process.env.BENCH_RUNTIMES ?? 'runc,crun').split(',') as OciRuntimeName[];
/** How long one batch may take to be Running, and its pods to be gone again. */
const batchTimeoutMs = 300_000;

const mainJs = k8tsEntry;
const podsResource: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const nodesResource: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
type PodObject = Pod & KubeObject;
const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

const tag = randomBytes(3).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'k8ts-podbench-'));
const bareCgroup = `/k8ts-podbench-${tag}`;
let server: ServerProcess | undefined;
let client: RestClient | undefined;
const agents: { env: AgentTestEnv; process?: K8tsProcess }[] = [];

let cleanedUp = false;
async function cleanup(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  if (client) await deleteAllPods(client).catch((error: Error) => log(`deleting pods: ${error.message}`));
  for (const agent of agents) {
    await agent.process?.stop();
    removeAgentLeftovers(agent.env);
    rmSync(agent.env.work, { recursive: true, force: true });
  }
  client?.close();
  await server?.destroy();
  await removeBareContainers(join(work, 'bare-state'), runtimeNames);
  removeCgroupTree(bareCgroup, log);
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

/** BENCH_CPU_PROF=DIR: V8 CPU profiles of the server and each agent (summarise with dist/bench/profile-summary.js). */
const cpuProfileFlags = (): string[] => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

interface Summary {
  p50: number;
  p99: number;
  max: number;
}
const summarize = (values: readonly number[]): Summary => ({ p50: percentile(values, 50), p99: percentile(values, 99), max: percentile(values, 100) });

const podManifest = (name: string, batch: string): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { bench: batch } },
  spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
});

async function deleteAllPods(api: RestClient): Promise<void> {
  const pods = api.resource<PodObject>(podsResource);
  const deadline = performance.now() + batchTimeoutMs;
  for (const pod of (await pods.list('default')).items) await pods.delete('default', pod.metadata?.name ?? '').catch(() => undefined);
  while ((await pods.list('default')).items.length > 0) {
    if (performance.now() > deadline) throw new Error(`pods still there after ${batchTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Creates `count` pods at once; resolves with each one's create → Running time seen by a watch. */
async function podBatch(api: RestClient, count: number): Promise<number[]> {
  const batch = `b${count}-${randomBytes(3).toString('hex')}`;
  const pods = api.resource<PodObject>(podsResource);
  const watch = await pods.watch('default', { labelSelector: `bench=${batch}` });
  const createdAt = new Map<string, number>();
  const latencies = new Map<string, number>();
  const running = (async () => {
    for await (const event of watch) {
      const name = event.object.metadata?.name ?? '';
      if ((event.object as PodObject).status?.phase === 'Running' && !latencies.has(name) && createdAt.has(name)) {
        latencies.set(name, performance.now() - createdAt.get(name)!);
        if (latencies.size === count) return;
      }
    }
  })();
  const timer = setTimeout(() => watch.stop(), batchTimeoutMs);
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const name = `${batch}-${i}`;
      createdAt.set(name, performance.now());
      await pods.create('default', podManifest(name, batch));
    }),
  );
  await running;
  clearTimeout(timer);
  watch.stop();
  if (latencies.size < count) throw new Error(`only ${latencies.size}/${count} pods Running within ${batchTimeoutMs} ms`);
  return [...latencies.values()];
}

async function waitForReadyNode(api: RestClient, name: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const node = await api.resource(nodesResource).get(undefined, name).catch(() => undefined);
    const conditions = (node?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    if (performance.now() > deadline) throw new Error(`node ${name} not Ready within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface RuntimeResult {
  runtime: OciRuntimeName;
  pods: Map<number, Summary>;
  bare: Map<number, Summary>;
  agentRss: number;
  agentPeakRss: number;
  agentCpuMs: number;
}

async function benchRuntime(name: OciRuntimeName, bareBundles: readonly string[]): Promise<RuntimeResult> {
  const env = agentTestEnv(`k8ts-podbench-${name}-`);
  const agent: (typeof agents)[number] = { env };
  agents.push(agent);
  await importBusybox(env);
  const nodeName = `bench-${name}-${tag}`;
  agent.process = spawnK8ts(`k8ts agent (${name})`, mainJs, ['agent', '--kubeconfig', server!.kubeconfigPath, '--node-name', nodeName, '--data-dir', env.dataDir, '--runtime', name, '--pod-cidr', env.podCidr], cpuProfileFlags());
  await waitForReadyNode(client!, nodeName);
  log(`${name}: node ${nodeName} Ready`);
  const result: RuntimeResult = { runtime: name, pods: new Map(), bare: new Map(), agentRss: 0, agentPeakRss: 0, agentCpuMs: 0 };
  const oci = new OciRuntime(name, join(work, 'bare-state', name));
  let bareSeq = 0;
  // A warm-up of each, so the first batch does not pay for cold caches alone.
  await podBatch(client!, 1);
  await deleteAllPods(client!);
  await bareRun(oci, bareBundles[0]!, `podbench-${tag}-${bareSeq++}`);
  for (const count of batches) {
    const cpuBefore = agent.process.cpuMs();
    const latencies = await podBatch(client!, count);
    result.pods.set(count, summarize(latencies));
    log(`${name}: ${count} pods Running, p50 ${ms(result.pods.get(count)!.p50)}, p99 ${ms(result.pods.get(count)!.p99)}`);
    if (count === Math.max(...batches)) {
      result.agentRss = agent.process.rss();
      result.agentPeakRss = agent.process.peakRss();
      result.agentCpuMs = agent.process.cpuMs() - cpuBefore;
    }
    await deleteAllPods(client!);
    const bare = await Promise.all(Array.from({ length: count }, (_, slot) => bareRun(oci, bareBundles[slot]!, `podbench-${tag}-${bareSeq++}`)));
    result.bare.set(count, summarize(bare));
  }
  await agent.process.stop();
  await client!.resource(nodesResource).delete(undefined, nodeName).catch(() => undefined);
  return result;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the pod benchmark needs root (a real agent: namespaces, overlayfs, cgroups, CNI)');
  const cpu = cpus();
  log(`machine: load average ${loadavg().map((v) => round(v, 2)).join(' ')}; ${cpu[0]?.model.trim()}, ${cpu.length} cores, ${mib(totalmem())}, Linux ${release()}, Node ${process.version}`);
  const layout = join(work, 'busybox-layout');
  await buildBusyboxLayout(layout);
  const bareBundle = await prepareBareBundle(work, layout, bareCgroup);
  const bareBundles = Array.from({ length: Math.max(...batches) }, (_, slot) => bareBundleSlot(bareBundle, slot));
  server = await startK8tsServer(mainJs, ['--disable-agent'], undefined, cpuProfileFlags());
  client = new RestClient({ ...loadKubeconfig(server.kubeconfigPath), qps: 1000, burst: 1000 });
  const results: RuntimeResult[] = [];
  for (const name of runtimeNames) results.push(await benchRuntime(name, bareBundles));

  const rows: string[][] = [];
  for (const result of results) {
    for (const count of batches) {
      const pods = result.pods.get(count)!;
      const bare = result.bare.get(count)!;
      rows.push([`${count} pod${count === 1 ? '' : 's'}, ${result.runtime}`, `${ms(pods.p50)} / ${ms(pods.p99)}`, `${ms(bare.p50)} / ${ms(bare.p99)}`, `${(pods.p99 / bare.p99).toFixed(1)}×`]);
    }
  }
  console.log('\nPod start-up: create → Running seen by a watch (server + scheduler + agent on this host), beside bare `<runtime> run` of as many /bin/true containers at once.\n');
  console.log(table(['batch', 'pods p50 / p99', 'bare run p50 / p99', 'p99 vs bare'], rows));
  const biggest = Math.max(...batches);
  for (const result of results) {
    console.log(`\nagent on ${result.runtime} with ${biggest} pods running: RSS ${mib(result.agentRss)}, peak ${mib(result.agentPeakRss)}, CPU ${ms(result.agentCpuMs)} for the batch`);
  }
  console.log(`server peak RSS ${mib(server.peakRss())}, CPU ${ms(server.cpuMs())}`);
  console.log(
    JSON.stringify({
      benchmark: 'pods',
      results: results.map((r) => ({
        runtime: r.runtime,
        batches: Object.fromEntries(batches.map((count) => [count, { pods: roundSummary(r.pods.get(count)!), bare: roundSummary(r.bare.get(count)!) }])),
        agentRssMiB: round(r.agentRss / 2 ** 20, 1),
        agentPeakRssMiB: round(r.agentPeakRss / 2 ** 20, 1),
      })),
    }),
  );
}

const roundSummary = (s: Summary): Summary => ({ p50: round(s.p50, 1), p99: round(s.p99, 1), max: round(s.max, 1) });

main()
  .catch((error: Error) => {
    log(error.stack ?? error.message);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
