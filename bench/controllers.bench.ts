// Controller benchmark, end to end on simulated nodes: a `k8ts server` (API server and scheduler,
// --disable-controller-manager), a separate `k8ts controller-manager --kubeconfig …` and a
// `k8ts sim nodes` agent, each in its own process so that each one's CPU time (/proc/<pid>/stat)
// and peak RSS (VmHWM) can be read. Phases, each timed from its request to the state that ends it:
//
//   1. Deployment apply: create a Deployment of --replicas pods, until observedGeneration is
//      current, status.availableReplicas = replicas and the Available condition is True;
//   2. rolling update: change the pod template (an annotation, as `kubectl rollout restart`),
//      until `kubectl rollout status` would return: updatedReplicas = replicas, no old replicas
//      left (status.replicas = updatedReplicas) and availableReplicas = updatedReplicas;
//   3. DaemonSet rollout: create a DaemonSet, until desiredNumberScheduled = numberAvailable =
//      updatedNumberScheduled = --nodes.
//
// Prints seconds per phase and the CPU each process used in it, peak RSS, as a table and one JSON
// line; asserts nothing about time.
//
//   npm run bench:controllers                                  # 10,000 replicas on 1,000 nodes
//   npm run bench:controllers -- --replicas 2000 --nodes 200
//   npm run bench:controllers -- --phase-timeout 600 --lease-renew-interval 40s
import { cpus, loadavg } from 'node:os';
import { Client } from './lib/client.js';
import { spawnK8ts, startK8tsServer, type K8tsProcess, type ServerProcess } from './lib/processes.js';
import { mib, round, table } from './lib/stats.js';
import { k8tsEntry } from './lib/node-flags.js';

const mainJs = k8tsEntry;
const log = (message: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
function numberFlag(name: string, fallback: number): number {
  const text = flag(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: not a positive number: ${text}`);
  return value;
}

const replicas = numberFlag('replicas', 10_000);
const nodes = numberFlag('nodes', 1_000);
/** A phase not finished by then is reported with its progress; the phases after it are skipped. */
const phaseTimeoutMs = numberFlag('phase-timeout', 1_800) * 1000;
/**
 * Heartbeats of the simulated nodes: the kubelet's 10 s lease and a 1 min status report up to
 * 500 nodes; beyond, a 20 s lease and 5 min status reports (1,000 nodes at 10 s / 1 min would be
 * ~117 writes/s on their own on this 2-vCPU machine). The node lifecycle controller runs here
 * (unlike in bench:scheduler), so the lease interval stays well under its 50 s grace period.
 */
const lease = flag('lease-renew-interval') ?? (nodes > 500 ? '20s' : '10s');
const statusReport = flag('status-report-interval') ?? (nodes > 500 ? '5m' : '1m');
const namespace = 'ctl-bench';
const pollMs = 250;
const progressEveryMs = 15_000;

interface Proc {
  label: string;
  proc: K8tsProcess;
}

interface Phase {
  name: string;
  done: boolean;
  seconds: number;
  /** The last status seen, e.g. "available 6234/10000". */
  progress: string;
  /** CPU seconds per process label during the phase. */
  cpuSeconds: Record<string, number>;
}

let server: ServerProcess | undefined;
let controllerManager: K8tsProcess | undefined;
let agent: K8tsProcess | undefined;
let client: Client | undefined;
const stopAll = async (): Promise<void> => {
  client?.close();
  await agent?.stop();
  await controllerManager?.stop();
  await server?.destroy();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}

/** Polls check every pollMs until it says done or timeoutMs passes; logs its progress now and then. */
async function waitUntil(label: string, timeoutMs: number, check: () => Promise<{ done: boolean; progress: string }>): Promise<{ done: boolean; progress: string }> {
  const started = performance.now();
  let lastLog = started;
  let last = { done: false, progress: 'not read yet' };
  for (;;) {
    try {
      last = await check();
    } catch (error) {
      last = { done: false, progress: `read failed: ${(error as Error).message.slice(0, 200)}` };
    }
    if (last.done) return last;
    const now = performance.now();
    if (now - started > timeoutMs) return last;
    if (now - lastLog >= progressEveryMs) {
      lastLog = now;
      log(`${label}: ${Math.round((now - started) / 1000)} s, ${last.progress}`);
    }
    for (const { proc } of procs()) if (!proc.running()) throw new Error(`${proc.name} exited:\n${proc.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function procs(): Proc[] {
  return [
    ...(controllerManager ? [{ label: 'controller manager', proc: controllerManager }] : []),
    ...(server ? [{ label: 'server', proc: server }] : []),
    ...(agent ? [{ label: 'sim agent', proc: agent }] : []),
  ];
}

async function measure(name: string, action: () => Promise<void>, check: () => Promise<{ done: boolean; progress: string }>): Promise<Phase> {
  const cpu0 = Object.fromEntries(procs().map(({ label, proc }) => [label, proc.cpuMs()]));
  const started = performance.now();
  log(`${name}: start`);
  await action();
  const result = await waitUntil(name, phaseTimeoutMs, check);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = Object.fromEntries(procs().map(({ label, proc }) => [label, (proc.cpuMs() - (cpu0[label] ?? 0)) / 1000]));
  log(`${name}: ${result.done ? 'done' : 'NOT DONE'} in ${seconds.toFixed(1)} s (${result.progress}); CPU ${Object.entries(cpuSeconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
  return { name, done: result.done, seconds, progress: result.progress, cpuSeconds };
}

const podTemplate = (app: string, annotations: Record<string, string> = {}): unknown => ({
  metadata: { labels: { app }, annotations },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
  },
});

interface DeploymentStatus {
  metadata: { generation?: number };
  spec: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason?: string }[] };
}
interface DaemonSetStatus {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; desiredNumberScheduled?: number; currentNumberScheduled?: number; updatedNumberScheduled?: number; numberReady?: number; numberAvailable?: number };
}

async function readDeployment(): Promise<DeploymentStatus> {
  return (await client!.ok<DeploymentStatus>('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/web`)).json;
}
const condition = (d: DeploymentStatus, type: string): string => {
  const c = d.status?.conditions?.find((x) => x.type === type);
  return c ? `${c.status}${c.reason ? `/${c.reason}` : ''}` : '-';
};
const deploymentProgress = (d: DeploymentStatus): string =>
  `replicas ${d.status?.replicas ?? 0}, updated ${d.status?.updatedReplicas ?? 0}, ready ${d.status?.readyReplicas ?? 0}, available ${d.status?.availableReplicas ?? 0} of ${d.spec.replicas}; Available ${condition(d, 'Available')}, Progressing ${condition(d, 'Progressing')}`;

async function main(): Promise<void> {
  log(`${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${replicas} replicas on ${nodes} nodes; heartbeats ${lease}/${statusReport}`);
  server = await startK8tsServer(mainJs, ['--disable-agent', '--disable-controller-manager']);
  log(`server ready on port ${server.port} (pid ${server.pid})`);
  client = new Client(server.port, server.credentials, 8);

  controllerManager = spawnK8ts('k8ts controller-manager', mainJs, ['controller-manager', '--kubeconfig', server.kubeconfigPath]);
  await controllerManager.waitForOutput(/running .* once it holds the lease/, 60_000);
  await waitUntil('controller manager lease', 60_000, async () => {
    const res = await client!.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
    const holder = res.status === 200 ? (JSON.parse(res.body.toString()) as { spec?: { holderIdentity?: string } }).spec?.holderIdentity : undefined;
    return { done: Boolean(holder), progress: `lease ${res.status}` };
  });
  log(`controller manager leading (pid ${controllerManager.pid})`);

  await client.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  // The serviceaccount controller creates "default"; pods wait for it, and the wait is no part of a phase.
  const sa = await waitUntil('default ServiceAccount', 60_000, async () => ({ done: (await client!.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)).status === 200, progress: 'waiting' }));
  if (!sa.done) throw new Error('no default ServiceAccount in the benchmark namespace after 60 s');

  const phases: Phase[] = [];
  let nodesRegisteredS = Number.NaN;
  phases.push(
    await measure(
      `register ${nodes} simulated nodes`,
      async () => {
        const started = performance.now();
        agent = spawnK8ts('k8ts sim nodes', mainJs, ['sim', 'nodes', '--kubeconfig', server!.kubeconfigPath, '--count', String(nodes), '--name-prefix', 'node-', '--cpu', '4', '--memory', '32Gi', '--pods', '110', '--node-lease-renew-interval', lease, '--node-status-report-interval', statusReport]);
        await agent.waitForOutput(/nodes ready/, 600_000);
        nodesRegisteredS = (performance.now() - started) / 1000;
      },
      async () => ({ done: true, progress: 'registered' }),
    ),
  );
  // Let the scheduler's and the controllers' node informers catch up with the registrations.
  await new Promise((r) => setTimeout(r, 3_000));

  phases.push(
    await measure(
      `Deployment ${replicas} replicas: apply → available`,
      async () => {
        await client!.ok('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace },
          spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: podTemplate('web') },
        });
      },
      async () => {
        const d = await readDeployment();
        const done = (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && d.status?.availableReplicas === replicas && condition(d, 'Available').startsWith('True');
        return { done, progress: deploymentProgress(d) };
      },
    ),
  );

  if (phases.at(-1)!.done) {
    phases.push(
      await measure(
        `Deployment ${replicas} replicas: rolling update`,
        async () => {
          await client!.ok('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/web`, { spec: { template: { metadata: { annotations: { 'bench.k8ts.io/restartedAt': new Date().toISOString() } } } } }, { 'Content-Type': 'application/merge-patch+json' });
        },
        async () => {
          // kubectl rollout status's DeploymentStatusViewer.
          const d = await readDeployment();
          const want = d.spec.replicas ?? 1;
          const s = d.status ?? {};
          const deadlineExceeded = condition(d, 'Progressing') === 'False/ProgressDeadlineExceeded';
          const done = !deadlineExceeded && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
          return { done, progress: deploymentProgress(d) };
        },
      ),
    );
  }

  if (phases.at(-1)!.done) {
    phases.push(
      await measure(
        `DaemonSet on ${nodes} nodes: apply → available`,
        async () => {
          await client!.ok('POST', `/apis/apps/v1/namespaces/${namespace}/daemonsets`, {
            apiVersion: 'apps/v1',
            kind: 'DaemonSet',
            metadata: { name: 'agent', namespace },
            spec: { selector: { matchLabels: { app: 'agent' } }, template: podTemplate('agent') },
          });
        },
        async () => {
          const ds = (await client!.ok<DaemonSetStatus>('GET', `/apis/apps/v1/namespaces/${namespace}/daemonsets/agent`)).json;
          const s = ds.status ?? {};
          const done = (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 1) && s.desiredNumberScheduled === nodes && s.numberAvailable === nodes && s.updatedNumberScheduled === nodes;
          return { done, progress: `desired ${s.desiredNumberScheduled ?? 0}, scheduled ${s.currentNumberScheduled ?? 0}, updated ${s.updatedNumberScheduled ?? 0}, ready ${s.numberReady ?? 0}, available ${s.numberAvailable ?? 0}` };
        },
      ),
    );
  }

  // Did heartbeats keep up? Nodes the node lifecycle controller marked not ready would have
  // tainted and evicted pods and so skewed the figures.
  const nodeList = (await client.ok<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('GET', '/api/v1/nodes')).json.items;
  const notReady = nodeList.filter((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True').length;
  const rates = agent?.output().match(/per second: .*/g);
  if (rates) log(`sim agent ${rates.at(-1)}`);

  const peak = Object.fromEntries(procs().map(({ label, proc }) => [label, proc.peakRss()]));
  const labels = procs().map((p) => p.label);
  process.stdout.write(
    '\n' +
      table(
        ['phase', 'seconds', ...labels.map((l) => `${l} CPU s (cores)`), 'last status'],
        phases.map((p) => [
          p.name,
          `${p.seconds.toFixed(1)}${p.done ? '' : ' (timed out)'}`,
          ...labels.map((l) => `${(p.cpuSeconds[l] ?? Number.NaN).toFixed(1)} (${((p.cpuSeconds[l] ?? Number.NaN) / p.seconds).toFixed(2)})`),
          p.done ? '' : p.progress,
        ]),
      ) +
      '\n\n' +
      table(
        ['process', 'peak RSS (VmHWM)', 'CPU total s'],
        procs().map(({ label, proc }) => [label, mib(peak[label] ?? Number.NaN), (proc.cpuMs() / 1000).toFixed(1)]),
      ) +
      `\n\nnodes not Ready at the end: ${notReady}/${nodeList.length}; heartbeats ${lease}/${statusReport}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
  );
  process.stdout.write(
    JSON.stringify({
      bench: 'controllers',
      replicas,
      nodes,
      heartbeats: `${lease}/${statusReport}`,
      nodesRegisteredS: round(nodesRegisteredS, 1),
      phases: phases.map((p) => ({ ...p, seconds: round(p.seconds, 1), cpuSeconds: Object.fromEntries(Object.entries(p.cpuSeconds).map(([k, v]) => [k, round(v, 1)])) })),
      peakRssMiB: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, round(v / (1024 * 1024), 1)])),
      cpuTotalS: Object.fromEntries(procs().map(({ label, proc }) => [label, round(proc.cpuMs() / 1000, 1)])),
      notReadyNodes: notReady,
    }) + '\n',
  );
}

try {
  await main();
} finally {
  await stopAll();
}
