// Container runtime benchmark: `/bin/true` in a container through k8ts's Runtime (in an existing
// pod sandbox, and as the first container of a new one) against bare `runc run` / `crun run` of an
// equivalent bundle; pod sandbox + CNI set-up and teardown; and a cold pull of a ~100 MB image from
// a local docker-registry through k8ts's pullImage against `skopeo copy`. Needs root, runc, crun,
// umoci, skopeo, docker-registry and the CNI plugins. Prints figures; asserts nothing about time.
//
//   npm run bench:runtime                       # 30 runs of each container variant, 3 pulls each
//   BENCH_RUNS=10 BENCH_PULLS=1 npm run bench:runtime
//   BENCH_PULL_MIB=20 npm run bench:runtime     # a smaller random layer
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { OciRuntime, type OciRuntimeName } from '../src/runtime/driver/oci-runtime.js';
import { ImageStore } from '../src/runtime/images/image-store.js';
import { importImages } from '../src/runtime/images/import.js';
import { pullImage } from '../src/runtime/images/registry/pull.js';
import { startTestRegistry, type TestRegistry } from '../src/runtime/images/registry/test-registry.js';
import { Runtime } from '../src/runtime/runtime.js';
import { defaultNetworkList } from '../src/runtime/sandbox/cni.js';
import { buildBusyboxLayout } from '../src/runtime/testing/busybox-layout.js';
import type { ContainerConfig, PodSandboxConfig } from '../src/runtime/cri/types.js';
import { bareRun, prepareBareBundle, removeBareContainers, removeCgroupTree, timedSpawn } from './lib/bare-oci.js';
import { median, mib, ms, percentile, round, table } from './lib/stats.js';

const run = promisify(execFile);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const warmups = 2;
const pulls = Number(process.env.BENCH_PULLS ?? 3);
const pullMiB = Number(process.env.BENCH_PULL_MIB ?? 100);
const runtimeNames: OciRuntimeName[] = ['runc', 'crun'];

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);
const now = (): number => performance.now();

// ---------------------------------------------------------------------------------------------
// What this run made, so that an error or ^C still leaves the machine as it was.

const tag = randomBytes(4).toString('hex').slice(0, 5);
const work = mkdtempSync(join(tmpdir(), 'k8ts-rtbench-'));
const bareCgroup = `/k8ts-bench-${tag}`;
interface K8tsSide {
  name: OciRuntimeName;
  root: string;
  bridge: string;
  runtime?: Runtime;
}
const sides: K8tsSide[] = [];
let registry: TestRegistry | undefined;

const mountedUnder = (dir: string): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`));

let cleanedUp = false;
async function cleanup(): Promise<void> {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const side of sides) {
    const runtime = side.runtime;
    if (runtime) {
      for (const sandbox of runtime.listPodSandbox()) await runtime.removePodSandbox(sandbox.id).catch((error: Error) => log(`remove sandbox ${sandbox.id}: ${error.message}`));
      await runtime.close().catch(() => undefined);
    }
    await run('ip', ['link', 'delete', side.bridge]).catch(() => undefined);
  }
  await removeBareContainers(join(work, 'bare-state'), runtimeNames);
  removeCgroupTree(bareCgroup, log);
  if (registry) await registry.stop().catch(() => undefined);
  for (const point of mountedUnder(work).reverse()) {
    await run('umount', [point]).catch(() => run('umount', ['-l', point])).catch((error: Error) => log(`umount ${point}: ${error.message}`));
  }
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers.

interface Summary {
  p50: number;
  p99: number;
  min: number;
  max: number;
  n: number;
}
const summary = (values: readonly number[]): Summary => ({ p50: percentile(values, 50), p99: percentile(values, 99), min: percentile(values, 0), max: percentile(values, 100), n: values.length });
const pair = (s: Summary): string => `${ms(s.p50)} / ${ms(s.p99)}`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
const r2 = (v: number): number => round(v, 2);
const summaryJson = (s: Summary): { p50: number; p99: number; min: number; max: number } => ({ p50: r2(s.p50), p99: r2(s.p99), min: r2(s.min), max: r2(s.max) });

/** A pod CIDR (10.X.Y.0/24) whose 10.X/16 no route on this host uses, so we meet no one's bridge. */
async function freePodCidrs(count: number): Promise<string[]> {
  const routes = (await run('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout;
  for (let attempt = 0; attempt < 100; attempt++) {
    const second = 200 + Math.floor(Math.random() * 50);
    if (!routes.includes(`10.${second}.`)) return Array.from({ length: count }, (_, i) => `10.${second}.${11 + i}.0/24`);
  }
  throw new Error('no free 10.x.0.0/16 for the benchmark pod networks');
}

// ---------------------------------------------------------------------------------------------
// 1. /bin/true through k8ts and bare.

interface Lifecycle {
  create: number;
  start: number;
  wait: number;
  remove: number;
  total: number;
}

const podConfig = (side: K8tsSide, name: string): PodSandboxConfig => ({
  metadata: { name, namespace: 'default', uid: `bench-${tag}-${side.name}-${name}`, attempt: 0 },
  hostname: name,
  logDirectory: join(side.root, 'logs', name),
});

let containerSeq = 0;
const trueContainer = (): ContainerConfig => {
  const name = `true-${containerSeq++}`;
  return { metadata: { name, attempt: 0 }, image: 'busybox', command: ['/bin/true'], logPath: `${name}/0.log` };
};

/** createContainer + startContainer + waitForExit + removeContainer; the exit code is checked outside the timing. */
async function k8tsTrue(runtime: Runtime, sandboxId: string): Promise<Lifecycle> {
  const t0 = now();
  const id = await runtime.createContainer(sandboxId, trueContainer());
  const t1 = now();
  await runtime.startContainer(id);
  const t2 = now();
  if (!(await runtime.waitForExit(id, 30_000))) throw new Error(`container ${id} did not exit within 30 s`);
  const t3 = now();
  const status = await runtime.containerStatus(id);
  if (status.exitCode !== 0) throw new Error(`container ${id} exited ${status.exitCode} (${status.reason})`);
  const t4 = now();
  await runtime.removeContainer(id);
  const t5 = now();
  return { create: t1 - t0, start: t2 - t1, wait: t3 - t2, remove: t5 - t4, total: t3 - t0 + (t5 - t4) };
}

interface NewSandboxRun {
  setup: number;
  container: Lifecycle;
  stop: number;
  teardown: number;
  total: number;
}

/** runPodSandbox, the /bin/true lifecycle as its first container, stopPodSandbox + removePodSandbox. */
async function k8tsNewSandbox(side: K8tsSide, name: string): Promise<NewSandboxRun> {
  const runtime = side.runtime!;
  const t0 = now();
  const sandbox = await runtime.runPodSandbox(podConfig(side, name));
  const setup = now() - t0;
  const container = await k8tsTrue(runtime, sandbox);
  const t1 = now();
  await runtime.stopPodSandbox(sandbox);
  const stop = now() - t1;
  await runtime.removePodSandbox(sandbox);
  const teardown = now() - t1;
  return { setup, container, stop, teardown, total: setup + container.total + teardown };
}

let bareSeq = 0;
const bareTrue = (oci: OciRuntime, bundle: string): Promise<number> => bareRun(oci, bundle, `k8tsbench-${tag}-${bareSeq++}`);

// ---------------------------------------------------------------------------------------------
// 3. Pull.

/** Adds a layer of `mib` MiB of random (incompressible) bytes to the busybox image as tag "big". */
async function buildBigImage(layout: string, sizeMiB: number): Promise<number> {
  const bundle = join(work, 'big-bundle');
  await run('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
  mkdirSync(join(bundle, 'rootfs', 'data'));
  const out = createWriteStream(join(bundle, 'rootfs', 'data', 'random.bin'));
  for (let i = 0; i < sizeMiB; i++) if (!out.write(randomBytes(1 << 20))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  await run('umoci', ['repack', '--image', `${layout}:big`, bundle], { maxBuffer: 16 << 20 });
  rmSync(bundle, { recursive: true, force: true });
  // The bytes a pull moves: manifest + config + layers.
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number; annotations?: Record<string, string> }[] };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'big');
  if (!entry) throw new Error('umoci wrote no "big" tag');
  const blob = (digest: string): string => join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
  const manifest = JSON.parse(readFileSync(blob(entry.digest), 'utf8')) as { config: { size: number }; layers: { size: number }[] };
  return entry.size + manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}

async function k8tsPull(reference: string, dir: string): Promise<number> {
  const store = new ImageStore(dir);
  await store.init();
  const started = now();
  await pullImage(store, reference);
  return now() - started;
}

function skopeoPull(reference: string, dir: string): Promise<number> {
  return timedSpawn(['skopeo', 'copy', '--quiet', '--src-tls-verify=false', `docker://${reference}`, `oci:${dir}:v1`]);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the runtime benchmark needs root (namespaces, overlayfs, cgroups, CNI)');
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, memory: mib(totalmem()), kernel: release(), node: process.version };
  const loadStart = loadavg().map((v) => r2(v));
  const versions = Object.fromEntries(
    await Promise.all(
      (['runc', 'crun', 'skopeo'] as const).map(async (name) => [name, (await run(name, ['--version'])).stdout.split('\n')[0]!.trim()] as const),
    ),
  );
  log(`machine: load average ${loadStart.join(' ')}; ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, Linux ${machine.kernel}, Node ${machine.node}`);
  log(`work dir ${work}, tag ${tag}`);

  const layout = join(work, 'busybox-layout');
  await buildBusyboxLayout(layout);
  const bareBundle = await prepareBareBundle(work, layout, bareCgroup);

  const cidrs = await freePodCidrs(runtimeNames.length);
  for (const [i, name] of runtimeNames.entries()) {
    const root = join(work, `k8ts-${name}`);
    const side: K8tsSide = { name, root, bridge: `kb${tag}${name[0]}` };
    sides.push(side);
    side.runtime = await Runtime.open({ root, runtime: name, network: defaultNetworkList({ bridge: side.bridge, podCidr: cidrs[i]!, ipamDataDir: join(root, 'ipam') }), netnsPrefix: `kb-${tag}-` });
    await importImages(side.runtime.images, layout, { name: 'busybox' });
    log(`k8ts on ${name}: root ${root}, bridge ${side.bridge}, pod CIDR ${cidrs[i]}`);
  }

  // 1 + 2. Container lifecycles; every variant once per round, in an order rotated each round so
  // that drifting load on the shared machine falls on all of them alike.
  const existing = new Map<OciRuntimeName, string>();
  const results = new Map<OciRuntimeName, { existing: Lifecycle[]; fresh: NewSandboxRun[]; bare: number[] }>();
  const variants: { label: string; step: (round: number) => Promise<void> }[] = [];
  for (const side of sides) {
    const runtime = side.runtime!;
    const oci = new OciRuntime(side.name, join(work, 'bare-state', side.name));
    const result = { existing: [] as Lifecycle[], fresh: [] as NewSandboxRun[], bare: [] as number[] };
    results.set(side.name, result);
    existing.set(side.name, await runtime.runPodSandbox(podConfig(side, 'existing')));
    // Warm-up, not measured: the first container unpacks the image layer; page cache, binaries.
    for (let i = 0; i < warmups; i++) {
      await k8tsTrue(runtime, existing.get(side.name)!);
      await k8tsNewSandbox(side, `warm-${i}`);
      await bareTrue(oci, bareBundle);
    }
    variants.push({ label: `k8ts/${side.name} existing sandbox`, step: async () => void result.existing.push(await k8tsTrue(runtime, existing.get(side.name)!)) });
    variants.push({ label: `k8ts/${side.name} new sandbox`, step: async (round) => void result.fresh.push(await k8tsNewSandbox(side, `fresh-${round}`)) });
    variants.push({ label: `bare ${side.name}`, step: async () => void result.bare.push(await bareTrue(oci, bareBundle)) });
  }
  const lifecycleStarted = now();
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < variants.length; k++) await variants[(round + k) % variants.length]!.step(round);
    if ((round + 1) % 10 === 0 || round + 1 === runs) log(`container rounds: ${round + 1}/${runs} (${((now() - lifecycleStarted) / 1000).toFixed(0)} s)`);
  }
  for (const side of sides) {
    await side.runtime!.stopPodSandbox(existing.get(side.name)!);
    await side.runtime!.removePodSandbox(existing.get(side.name)!);
  }
  const loadAfterContainers = loadavg().map((v) => r2(v));

  // 3. Cold pulls from a local registry.
  log(`building a busybox image with a ${pullMiB} MiB random layer`);
  const pullBytes = await buildBigImage(layout, pullMiB);
  registry = await startTestRegistry();
  const reference = `${registry.host}/bench/big:v1`;
  await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:big`, `docker://${reference}`]);
  log(`pushed ${mib(pullBytes)} to ${reference}`);
  const pullMs = { k8ts: [] as number[], skopeo: [] as number[] };
  for (let i = 0; i < pulls; i++) {
    const order: ('k8ts' | 'skopeo')[] = i % 2 === 0 ? ['k8ts', 'skopeo'] : ['skopeo', 'k8ts'];
    for (const who of order) {
      const dir = join(work, `pull-${who}-${i}`);
      const elapsed = who === 'k8ts' ? await k8tsPull(reference, dir) : await skopeoPull(reference, dir);
      pullMs[who].push(elapsed);
      rmSync(dir, { recursive: true, force: true });
      log(`pull ${i + 1}/${pulls} ${who}: ${(elapsed / 1000).toFixed(2)} s`);
    }
  }
  const loadEnd = loadavg().map((v) => r2(v));

  // Report.
  const rows: string[][] = [];
  const json: Record<string, unknown> = {};
  const allSetup: number[] = [];
  const allStop: number[] = [];
  const allTeardown: number[] = [];
  for (const side of sides) {
    const result = results.get(side.name)!;
    const bare = summary(result.bare);
    const ex = summary(result.existing.map((l) => l.total));
    const freshContainer = summary(result.fresh.map((r) => r.container.total));
    const freshTotal = summary(result.fresh.map((r) => r.total));
    const part = (values: Lifecycle[], key: keyof Lifecycle): Summary => summary(values.map((l) => l[key]));
    const breakdown = (values: Lifecycle[]): string => (['create', 'start', 'wait', 'remove'] as const).map((k) => `${k} ${ms(part(values, k).p50)}`).join(', ');
    rows.push([`/bin/true, bare \`${side.name} run\`${side.name === 'crun' ? ' (unshare wrapper)' : ''}`, pair(bare), '1.0×', '']);
    rows.push([`/bin/true, k8ts on ${side.name}, existing sandbox`, pair(ex), `${ratio(ex.p50, bare.p50)} / ${ratio(ex.p99, bare.p99)}`, breakdown(result.existing)]);
    rows.push([`/bin/true, k8ts on ${side.name}, first container in a new sandbox`, pair(freshContainer), `${ratio(freshContainer.p50, bare.p50)} / ${ratio(freshContainer.p99, bare.p99)}`, breakdown(result.fresh.map((r) => r.container))]);
    rows.push([`pod: new sandbox + /bin/true + teardown, k8ts on ${side.name}`, pair(freshTotal), `${ratio(freshTotal.p50, bare.p50)} / ${ratio(freshTotal.p99, bare.p99)}`, '']);
    allSetup.push(...result.fresh.map((r) => r.setup));
    allStop.push(...result.fresh.map((r) => r.stop));
    allTeardown.push(...result.fresh.map((r) => r.teardown));
    const lifecycleJson = (values: Lifecycle[]): Record<string, unknown> => ({
      totalMs: summaryJson(summary(values.map((l) => l.total))),
      p50Ms: Object.fromEntries((['create', 'start', 'wait', 'remove'] as const).map((k) => [k, r2(part(values, k).p50)])),
    });
    json[side.name] = {
      bareMs: summaryJson(bare),
      existingSandbox: { ...lifecycleJson(result.existing), ratioP50: r2(ex.p50 / bare.p50), ratioP99: r2(ex.p99 / bare.p99) },
      newSandboxFirstContainer: { ...lifecycleJson(result.fresh.map((r) => r.container)), ratioP50: r2(freshContainer.p50 / bare.p50), ratioP99: r2(freshContainer.p99 / bare.p99) },
      newSandboxPodTotalMs: summaryJson(freshTotal),
    };
  }
  const setup = summary(allSetup);
  const stop = summary(allStop);
  const teardown = summary(allTeardown);
  rows.push([`sandbox set-up: runPodSandbox, netns + bridge CNI (${setup.n} runs)`, pair(setup), '', `min ${ms(setup.min)}, max ${ms(setup.max)}`]);
  rows.push([`sandbox teardown: stopPodSandbox + removePodSandbox (${teardown.n} runs)`, pair(teardown), '', `of which stop (CNI DEL + netns) p50 ${ms(stop.p50)}`]);
  const k8tsPullMedian = median(pullMs.k8ts);
  const skopeoPullMedian = median(pullMs.skopeo);
  const seconds = (values: number[]): string => values.map((v) => (v / 1000).toFixed(2)).join(', ');
  rows.push([`cold pull ${mib(pullBytes)}, skopeo copy docker:// → oci: (median of ${pulls})`, `${(skopeoPullMedian / 1000).toFixed(2)} s`, '1.0×', `${seconds(pullMs.skopeo)} s; ${(pullBytes / 2 ** 20 / (skopeoPullMedian / 1000)).toFixed(0)} MiB/s`]);
  rows.push([`cold pull ${mib(pullBytes)}, k8ts pullImage (median of ${pulls})`, `${(k8tsPullMedian / 1000).toFixed(2)} s`, ratio(k8tsPullMedian, skopeoPullMedian), `${seconds(pullMs.k8ts)} s; ${(pullBytes / 2 ** 20 / (k8tsPullMedian / 1000)).toFixed(0)} MiB/s`]);

  console.log(`\nk8ts runtime benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, Linux ${machine.kernel}, Node ${machine.node}`);
  console.log(`${versions.runc}; ${versions.crun}; ${versions.skopeo}; load average at start ${loadStart.join(' ')}, after the containers ${loadAfterContainers.join(' ')}, at end ${loadEnd.join(' ')}`);
  console.log(`${runs} measured runs of each container variant (after ${warmups} warm-ups), interleaved; p99 is nearest-rank${runs < 100 ? `, so with ${runs} samples it is their maximum` : ''}. Containers: wall time of`);
  console.log('createContainer + startContainer + waitForExit + removeContainer (k8ts, in-process) or of the `run` process (bare, same spec from k8ts\'s builder, own namespaces, plain rootfs dir).\n');
  console.log(table(['measure', 'p50 / p99 (or time)', 'vs bare p50 / p99', 'notes (k8ts: p50 of each step)'], rows));
  console.log();
  console.log(
    JSON.stringify({
      machine: { ...machine, loadAverage: { start: loadStart, afterContainers: loadAfterContainers, end: loadEnd }, versions },
      runs,
      containers: json,
      sandbox: { setupMs: summaryJson(setup), teardownMs: summaryJson(teardown), stopMs: summaryJson(stop) },
      pull: { bytes: pullBytes, k8tsMs: pullMs.k8ts.map(r2), skopeoMs: pullMs.skopeo.map(r2), k8tsMedianMs: r2(k8tsPullMedian), skopeoMedianMs: r2(skopeoPullMedian), ratio: r2(k8tsPullMedian / skopeoPullMedian) },
    }),
  );
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  log(`failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanup();
}
