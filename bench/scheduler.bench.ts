// Scheduler benchmark, end to end: a real `k8ts server` (API server and scheduler) and a `k8ts
// sim nodes` agent in its own process registering N nodes. Workloads follow upstream's
// scheduler_perf (test/integration/scheduler_perf/config/performance-config.yaml): create the
// nodes, create and wait for the "init" pods, then create the measured pods and time each from
// its create request to the watch event that shows it bound. Prints pods/s, p50/p99 latency, the
// peak RSS of the server and of the agent, and the CPU of server, agent and this process (the
// load generator shares the machine); asserts nothing about time.
//
// As scheduler_perf's nodes (plain Node objects, no kubelet), the agent by default leaves bound
// pods Pending with spec.nodeName set (`--run-pods=false`); --run-pods has it play the kubelet
// too, turning every bound pod Running (a status write per pod and its watch traffic), as kwok.
//
//   npm run bench:scheduler                                   # every workload
//   npm run bench:scheduler -- --only SchedulingBasic/500Nodes_1000Pods
//   npm run bench:scheduler -- --run-pods                     # the agent runs the pods, as kwok
//   npm run bench:scheduler -- --lease-renew-interval 40s     # cheaper heartbeats for 5,000 nodes
//   BENCH_CPU_PROF=/tmp/prof npm run bench:scheduler          # also a V8 CPU profile of the server
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BindWatch } from './lib/bind-watch.js';
import { Client, pool } from './lib/client.js';
import { peakRss, readCpu, readThreadCpu, startServer as startBenchServer, type BenchServer } from './lib/server.js';
import { mib, ms, percentile, round, table } from './lib/stats.js';
import { k8tsEntry, k8tsNodeFlags } from './lib/node-flags.js';

interface Workload {
  name: string;
  nodes: number;
  initPods: number;
  measurePods: number;
  /** Zone labels given to the nodes round-robin (scheduler_perf's labelNodePrepareStrategy). */
  zones?: string[];
  initPod: (ns: string, name: string) => unknown;
  measurePod: (ns: string, name: string) => unknown;
  /** Namespaces of init and measured pods (scheduler_perf's createNamespaces). */
  initNamespace: string;
  measureNamespace: string;
}

/** scheduler_perf's pod-default.yaml. */
const defaultPod = (ns: string, name: string, extra: { labels?: Record<string, string>; spec?: Record<string, unknown> } = {}): unknown => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, ...(extra.labels ? { labels: extra.labels } : {}) },
  spec: {
    ...extra.spec,
    containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } } }],
  },
});
/** pod-with-pod-anti-affinity.yaml: one green pod per host. */
const antiAffinityPod = (ns: string, name: string): unknown =>
  defaultPod(ns, name, {
    labels: { color: 'green' },
    spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-0', 'sched-1'] }] } } },
  });
/** pod-with-topology-spreading.yaml: blue pods spread over zones with maxSkew 5. */
const spreadingPod = (ns: string, name: string): unknown =>
  defaultPod(ns, name, {
    labels: { color: 'blue' },
    spec: { topologySpreadConstraints: [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }] },
  });

const workloads: Workload[] = [
  { name: 'SchedulingBasic/500Nodes_1000Pods', nodes: 500, initPods: 500, measurePods: 1000, initPod: defaultPod, measurePod: defaultPod, initNamespace: 'sched-0', measureNamespace: 'sched-0' },
  { name: 'SchedulingPodAntiAffinity/500Nodes', nodes: 500, initPods: 100, measurePods: 400, initPod: antiAffinityPod, measurePod: antiAffinityPod, initNamespace: 'sched-0', measureNamespace: 'sched-1' },
  { name: 'TopologySpreading/500Nodes', nodes: 500, initPods: 1000, measurePods: 1000, zones: ['moon-1', 'moon-2', 'moon-3'], initPod: defaultPod, measurePod: spreadingPod, initNamespace: 'sched-0', measureNamespace: 'sched-0' },
  { name: 'SchedulingBasic/5000Nodes_10000Pods', nodes: 5000, initPods: 1000, measurePods: 10000, initPod: defaultPod, measurePod: defaultPod, initNamespace: 'sched-0', measureNamespace: 'sched-0' },
];

/**
 * Concurrent create requests: scheduler_perf creates its pods with upstream's test/utils CreatePod,
 * 30 workers in parallel (fewer only for fewer than 30 pods).
 */
const createConcurrency = 30;
/** A workload whose pods are not all bound by then is reported as such, not waited for forever. */
const bindTimeoutMs = 600_000;
const agentStartTimeoutMs = 300_000;

const mainJs = k8tsEntry;
const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const only = flag('only');
/**
 * Heartbeats: the kubelet's 10 s lease renewal and a 1 min status report, except at 5,000 nodes,
 * where they would be 580 writes/s — more than this 2-vCPU machine's API server sustains next to
 * the scheduler — so those workloads renew every 40 s and report status every 5 min (the
 * kubelet's nodeStatusReportFrequency). Without a node lifecycle controller running (below),
 * slower heartbeats change nothing the scheduler sees. --lease-renew-interval and
 * --status-report-interval override both.
 */
const heartbeats = (nodes: number): { lease: string; status: string } => ({
  lease: flag('lease-renew-interval') ?? (nodes > 1000 ? '40s' : '10s'),
  status: flag('status-report-interval') ?? (nodes > 1000 ? '5m' : '1m'),
});
/** scheduler_perf runs only the API server and the scheduler; --with-controller-manager adds the controllers. */
const withControllerManager = process.argv.includes('--with-controller-manager');
/** scheduler_perf's nodes have no kubelet: bound pods stay Pending unless --run-pods. */
const runPods = process.argv.includes('--run-pods') || process.argv.includes('--run-pods=true');
const podsMode = (running: boolean): string => (running ? 'Running (agent runs pods)' : 'bound only (no kubelet)');

/** A `k8ts server` on a free loopback port with the components this benchmark wants. */
function startServer(): Promise<BenchServer> {
  // BENCH_CPU_PROF=DIR: a V8 CPU profile of the server (summarise with dist/bench/profile-summary.js).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return startBenchServer({ nodeFlags: profile, serverArgs: withControllerManager ? [] : ['--disable-controller-manager'] });
}

interface Agent {
  process: ChildProcess;
  registeredMs: number;
  output: () => string;
  stop(): Promise<void>;
}

async function startAgent(server: BenchServer, nodes: number): Promise<Agent> {
  const { lease, status } = heartbeats(nodes);
  const args = [...k8tsNodeFlags, mainJs, 'sim', 'nodes', '--kubeconfig', join(server.dataDir, 'kubeconfig.yaml'), '--count', String(nodes), '--name-prefix', 'node-', '--cpu', '4', '--memory', '32Gi', '--pods', '110', '--node-lease-renew-interval', lease, '--node-status-report-interval', status, `--run-pods=${runPods}`];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = started + agentStartTimeoutMs;
  while (!/nodes ready/.test(output)) {
    if (child.exitCode !== null) throw new Error(`k8ts sim nodes exited:\n${output}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`k8ts sim nodes not ready within ${agentStartTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { process: child, registeredMs: performance.now() - started, output: () => output, stop };
}

interface Result {
  workload: string;
  nodes: number;
  measured: number;
  bound: number;
  podsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  nodesRegisteredMs: number;
  serverPeakRss: number;
  agentPeakRss: number;
  serverCpuMs: number;
  /** The server's CPU by thread: main (the API server), k8ts-scheduler, other (GC, compiler, libuv). */
  serverThreadCpuMs: Record<string, number>;
  agentCpuMs: number;
  /** This process (the load generator: creates and the bind watch) during the measured phase. */
  benchCpuMs: number;
  /** Whether the agent turned bound pods Running (--run-pods) or left them as bound. */
  runPods: boolean;
  /** Lease renewal / status report intervals of the simulated nodes. */
  heartbeats: string;
}

async function run(workload: Workload): Promise<Result> {
  log(`${workload.name}: starting server`);
  const server = await startServer();
  let agent: Agent | undefined;
  const stopAll = async (): Promise<void> => {
    await agent?.stop();
    await server.destroy();
  };
  live.add(stopAll);
  const client = new Client(server.port, server.credentials, createConcurrency);
  const watches: BindWatch[] = [];
  try {
    for (const ns of new Set([workload.initNamespace, workload.measureNamespace])) await client.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    log(`${workload.name}: registering ${workload.nodes} simulated nodes`);
    agent = await startAgent(server, workload.nodes);
    log(`${workload.name}: nodes ready in ${Math.round(agent.registeredMs)} ms`);
    if (workload.zones) {
      const zones = workload.zones;
      await pool(workload.nodes, createConcurrency, async (i) => {
        await client.ok('PATCH', `/api/v1/nodes/node-${i}`, { metadata: { labels: { 'topology.kubernetes.io/zone': zones[i % zones.length] } } }, { 'Content-Type': 'application/merge-patch+json' });
      });
    }
    // Let the scheduler's node informer catch up with the registrations.
    await new Promise((r) => setTimeout(r, 2_000));

    const initWatch = new BindWatch(server);
    watches.push(initWatch);
    await initWatch.open(workload.initNamespace);
    await pool(workload.initPods, createConcurrency, async (i) => void (await client.ok('POST', `/api/v1/namespaces/${workload.initNamespace}/pods`, workload.initPod(workload.initNamespace, `init-${i}`))));
    if (!(await initWatch.waitFor(workload.initPods, bindTimeoutMs))) log(`${workload.name}: only ${initWatch.boundAt.size}/${workload.initPods} init pods bound`);
    log(`${workload.name}: ${workload.initPods} init pods bound; measuring ${workload.measurePods}`);

    const watch = new BindWatch(server);
    watches.push(watch);
    await watch.open(workload.measureNamespace);
    const already = workload.measureNamespace === workload.initNamespace ? workload.initPods : 0;
    const createdAt = new Map<string, number>();
    const serverCpu0 = server.cpu();
    const serverThreads0 = readThreadCpu(server.pid);
    const agentCpu0 = readCpu(agent.process.pid!);
    const benchCpu0 = process.cpuUsage();
    const started = performance.now();
    await pool(workload.measurePods, createConcurrency, async (i) => {
      const name = `pod-${i}`;
      createdAt.set(name, performance.now());
      await client.ok('POST', `/api/v1/namespaces/${workload.measureNamespace}/pods`, workload.measurePod(workload.measureNamespace, name));
    });
    const allBound = await watch.waitFor(already + workload.measurePods, bindTimeoutMs);
    const benchCpu = process.cpuUsage(benchCpu0);
    const latencies: number[] = [];
    let lastBound = started;
    for (const [name, created] of createdAt) {
      const bound = watch.boundAt.get(name);
      if (bound === undefined) continue;
      latencies.push(bound - created);
      lastBound = Math.max(lastBound, bound);
    }
    if (!allBound) log(`${workload.name}: only ${latencies.length}/${workload.measurePods} measured pods bound within ${bindTimeoutMs} ms`);
    const serverCpu1 = server.cpu();
    const serverThreads1 = readThreadCpu(server.pid);
    const agentCpu1 = readCpu(agent.process.pid!);
    const result: Result = {
      workload: workload.name,
      nodes: workload.nodes,
      measured: workload.measurePods,
      bound: latencies.length,
      podsPerSec: latencies.length / ((lastBound - started) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      nodesRegisteredMs: agent.registeredMs,
      serverPeakRss: peakRss(server.pid),
      agentPeakRss: peakRss(agent.process.pid!),
      serverCpuMs: serverCpu1.userMs + serverCpu1.systemMs - serverCpu0.userMs - serverCpu0.systemMs,
      serverThreadCpuMs: Object.fromEntries([...serverThreads1].map(([group, ms]) => [group, ms - (serverThreads0.get(group) ?? 0)])),
      agentCpuMs: agentCpu1.userMs + agentCpu1.systemMs - agentCpu0.userMs - agentCpu0.systemMs,
      benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
      runPods,
      heartbeats: `${heartbeats(workload.nodes).lease}/${heartbeats(workload.nodes).status}`,
    };
    // The agent prints its write rates once a minute: do heartbeats keep up?
    const rates = agent.output().match(/per second: .*/g);
    if (rates) log(`${workload.name}: agent ${rates.at(-1)}`);
    const perPod = (cpuMs: number): string => `${Math.round((cpuMs * 1000) / Math.max(1, result.bound))} µs`;
    log(`${workload.name}: ${round(result.podsPerSec, 1)} pods/s, p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)}, server peak RSS ${mib(result.serverPeakRss)}; CPU per pod: server ${perPod(result.serverCpuMs)}, agent ${perPod(result.agentCpuMs)}, bench ${perPod(result.benchCpuMs)}`);
    log(`${workload.name}: server CPU per pod by thread: ${Object.entries(result.serverThreadCpuMs).map(([group, cpuMs]) => `${group} ${perPod(cpuMs)}`).join(', ')}`);
    return result;
  } catch (error) {
    // An agent that could not start usually says why in a request the server failed to answer.
    log(`${workload.name}: failed; the server's last output:\n${server.output().slice(-3000)}`);
    throw error;
  } finally {
    for (const watch of watches) watch.close();
    client.close();
    live.delete(stopAll);
    await stopAll();
  }
}

/** What an interrupted run must stop: the agent first, then the server (which removes its data dir). */
const live = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([...live].map((stop) => stop().catch(() => undefined))).finally(() => process.exit(130));
  });
}

// --only takes a workload's full name or its family (the part before the slash).
const selected = workloads.filter((w) => !only || w.name === only || w.name.split('/')[0] === only);
if (selected.length === 0) throw new Error(`no workload matches --only ${only}; workloads: ${workloads.map((w) => w.name).join(', ')}`);
log(`${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; controller manager ${withControllerManager ? 'on' : 'off'}; pods: ${podsMode(runPods)}`);
const results: Result[] = [];
for (const workload of selected) results.push(await run(workload));

process.stdout.write(
  '\n' +
    table(
      ['workload', 'pods', 'bound', 'pods/s', 'p50', 'p99', 'nodes ready', 'heartbeats', 'server peak RSS', 'agent peak RSS', 'server / agent / bench CPU'],
      results.map((r) => [
        r.workload,
        podsMode(r.runPods),
        `${r.bound}/${r.measured}`,
        round(r.podsPerSec, 1).toString(),
        ms(r.p50Ms),
        ms(r.p99Ms),
        ms(r.nodesRegisteredMs),
        r.heartbeats,
        mib(r.serverPeakRss),
        mib(r.agentPeakRss),
        `${(r.serverCpuMs / 1000).toFixed(1)} s / ${(r.agentCpuMs / 1000).toFixed(1)} s / ${(r.benchCpuMs / 1000).toFixed(1)} s`,
      ]),
    ) +
    '\n',
);
process.stdout.write(JSON.stringify({ bench: 'scheduler', withControllerManager, runPods, results: results.map((r) => ({ ...r, podsPerSec: round(r.podsPerSec, 1), p50Ms: round(r.p50Ms), p99Ms: round(r.p99Ms), nodesRegisteredMs: Math.round(r.nodesRegisteredMs), benchCpuMs: Math.round(r.benchCpuMs) })) }) + '\n');
