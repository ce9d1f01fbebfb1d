// API server benchmark: start-up time, idle memory, create/get/update throughput and latency,
// large lists (JSON and Table) and watch fan-out, against a real `k8ts server` on loopback.
// Prints figures next to the project's aims; asserts nothing about time.
//
//   npm run bench:api                      # everything
//   BENCH_CPU_PROF=/tmp/prof npm run bench:api   # also write a V8 CPU profile of the workload server
//   npm run bench:api -- --compare-datastores    # instead: SQLite vs etcd vs raw etcd (datastores.bench.ts)
import { cpus, loadavg, totalmem, release } from 'node:os';
import { Client, pool } from './lib/client.js';
import { startServer, type BenchServer } from './lib/server.js';
import { median, mib, ms, percentile, round, table } from './lib/stats.js';
import { WatcherFleet } from './lib/watchers.js';

const starts = 3;
const idleMs = 2000;
const levels = [1, 16, 64];
const opsPerLevel = 2000;
const listPods = 10_000;
const listRuns = 5;
const watcherCount = 1000;
const watchWrites = 100;
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);
const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

interface Pod {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  spec: unknown;
}

const pod = (namespace: string, name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  // No scheduler serves this name: the server's own scheduler would otherwise write
  // PodScheduled=False (no nodes) between the benchmark's GET and PUT and make the PUT conflict.
  spec: { schedulerName: 'bench-no-scheduler', containers: [{ name: 'c', image: 'busybox' }] },
});

const podsPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;

async function createNamespace(client: Client, name: string): Promise<void> {
  await client.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** `--compare-datastores` runs datastores.bench.ts instead of this benchmark (see the end of the file). */
const compareDatastores = process.argv.includes('--compare-datastores');

const live = new Set<BenchServer>();
async function cleanup(): Promise<void> {
  for (const server of [...live]) {
    live.delete(server);
    await server.destroy();
  }
}
if (!compareDatastores) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void cleanup().finally(() => process.exit(130));
    });
  }
}

async function launch(nodeFlags?: string[]): Promise<BenchServer> {
  const server = await startServer(nodeFlags ? { nodeFlags } : {});
  live.add(server);
  return server;
}
async function shutdown(server: BenchServer): Promise<void> {
  live.delete(server);
  await server.destroy();
}

/** CPU used by the server (user, system) and by this client process between start and stop, in ms. */
interface CpuUse {
  serverMs: number;
  serverSysMs: number;
  clientMs: number;
}
function cpuMeter(server: BenchServer): () => CpuUse {
  const server0 = server.cpu();
  const client0 = process.cpuUsage();
  return () => {
    const server1 = server.cpu();
    const client1 = process.cpuUsage(client0);
    return {
      serverMs: server1.userMs + server1.systemMs - server0.userMs - server0.systemMs,
      serverSysMs: server1.systemMs - server0.systemMs,
      clientMs: (client1.user + client1.system) / 1000,
    };
  };
}
/** Per-operation CPU, in µs, as "server (of which sys) / client". */
const perOp = (use: CpuUse, ops: number): string =>
  `${Math.round((use.serverMs * 1000) / ops)} µs (sys ${Math.round((use.serverSysMs * 1000) / ops)}) / ${Math.round((use.clientMs * 1000) / ops)} µs`;
const cpuJson = (use: CpuUse, ops: number): { serverUs: number; serverSysUs: number; clientUs: number } => ({
  serverUs: Math.round((use.serverMs * 1000) / ops),
  serverSysUs: Math.round((use.serverSysMs * 1000) / ops),
  clientUs: Math.round((use.clientMs * 1000) / ops),
});

interface LevelResult {
  clients: number;
  createsPerSec: number;
  create: { p50: number; p99: number };
  get: { p50: number; p99: number };
  update: { p50: number; p99: number };
  getsPerSec: number;
  updatesPerSec: number;
  cpu: { create: CpuUse; get: CpuUse; update: CpuUse };
}

async function crudLevel(server: BenchServer, clients: number): Promise<LevelResult> {
  const client = new Client(server.port, server.credentials, clients);
  const namespace = `bench-c${clients}`;
  await createNamespace(client, namespace);
  const names = Array.from({ length: opsPerLevel }, (_, i) => `p-${i}`);
  // Warm the connections (TLS handshakes are not what is measured).
  await pool(clients, clients, async () => void (await client.ok('GET', podsPath(namespace) + '?limit=1')));

  const createMs: number[] = [];
  let meter = cpuMeter(server);
  const createWall = await pool(opsPerLevel, clients, async (i) => {
    const res = await client.ok('POST', podsPath(namespace), pod(namespace, names[i]!));
    createMs.push(res.ms);
  });
  const createCpu = meter();
  const getMs: number[] = [];
  const fetched: Pod[] = [];
  meter = cpuMeter(server);
  const getWall = await pool(opsPerLevel, clients, async (i) => {
    const res = await client.ok<Pod>('GET', `${podsPath(namespace)}/${names[i]!}`);
    getMs.push(res.ms);
    fetched[i] = res.json;
  });
  const getCpu = meter();
  const updateMs: number[] = [];
  meter = cpuMeter(server);
  const updateWall = await pool(opsPerLevel, clients, async (i) => {
    const object = fetched[i]!;
    object.metadata.labels = { ...(object.metadata.labels ?? {}), bench: 'updated' };
    const res = await client.ok('PUT', `${podsPath(namespace)}/${names[i]!}`, object);
    updateMs.push(res.ms);
  });
  const updateCpu = meter();
  client.close();
  const pct = (values: number[]): { p50: number; p99: number } => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return {
    clients,
    createsPerSec: opsPerLevel / (createWall / 1000),
    getsPerSec: opsPerLevel / (getWall / 1000),
    updatesPerSec: opsPerLevel / (updateWall / 1000),
    create: pct(createMs),
    get: pct(getMs),
    update: pct(updateMs),
    cpu: { create: createCpu, get: getCpu, update: updateCpu },
  };
}

async function main(): Promise<void> {
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, memory: mib(totalmem()), kernel: release(), node: process.version };
  const load = loadavg().map((v) => round(v, 2));
  log(`machine: load average ${load.join(' ')}; ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, Linux ${machine.kernel}, Node ${machine.node}`);

  // 1 + 2. Start-up time and idle RSS, on fresh data dirs.
  const startRuns: { reportedMs: number; wallMs: number; idleRss: number }[] = [];
  for (let i = 0; i < starts; i++) {
    const server = await launch();
    await sleep(idleMs);
    const idleRss = server.rss();
    startRuns.push({ reportedMs: server.reportedReadyMs, wallMs: server.wallReadyMs, idleRss });
    log(`start ${i + 1}: server says ${server.reportedReadyMs} ms, /readyz 200 after ${server.wallReadyMs.toFixed(0)} ms, idle RSS ${mib(idleRss)}`);
    await shutdown(server);
  }

  // The workload server (profiled when BENCH_CPU_PROF names a directory).
  const profDir = process.env.BENCH_CPU_PROF;
  const server = await launch(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : undefined);
  log(`workload server pid ${server.pid} on port ${server.port}${profDir ? `, CPU profile to ${profDir}` : ''}`);

  // 3. Create / get / update at 1, 16, 64 clients.
  const crud: LevelResult[] = [];
  for (const clients of levels) {
    const result = await crudLevel(server, clients);
    crud.push(result);
    log(`${clients} clients: ${result.createsPerSec.toFixed(0)} creates/s, create p50 ${ms(result.create.p50)} p99 ${ms(result.create.p99)}`);
  }

  // 4. List 10,000 pods as JSON and as Table.
  const listClient = new Client(server.port, server.credentials, 64);
  await createNamespace(listClient, 'bench-list');
  let meter = cpuMeter(server);
  const fillMs = await pool(listPods, 64, async (i) => void (await listClient.ok('POST', podsPath('bench-list'), pod('bench-list', `l-${i}`))));
  log(`created ${listPods} pods in ${(fillMs / 1000).toFixed(1)} s (${(listPods / (fillMs / 1000)).toFixed(0)}/s at 64 clients)`);
  const fillCpu = meter();
  const listJson: number[] = [];
  const listJsonCpu: CpuUse[] = [];
  const listTableCpu: CpuUse[] = [];
  const listTable: number[] = [];
  let jsonBytes = 0;
  let tableBytes = 0;
  for (let i = 0; i < listRuns; i++) {
    meter = cpuMeter(server);
    const json = await listClient.ok<{ items: unknown[] }>('GET', podsPath('bench-list'));
    listJsonCpu.push(meter());
    if (json.json.items.length !== listPods) throw new Error(`list returned ${json.json.items.length} pods, expected ${listPods}`);
    listJson.push(json.ms);
    jsonBytes = json.body.length;
    meter = cpuMeter(server);
    const tab = await listClient.ok<{ rows: unknown[] }>('GET', podsPath('bench-list'), undefined, { Accept: tableAccept });
    listTableCpu.push(meter());
    if (tab.json.rows.length !== listPods) throw new Error(`table returned ${tab.json.rows.length} rows, expected ${listPods}`);
    listTable.push(tab.ms);
    tableBytes = tab.body.length;
  }
  log(`list ${listPods} pods: JSON median ${ms(median(listJson))} (${mib(jsonBytes)}), Table median ${ms(median(listTable))} (${mib(tableBytes)})`);

  // 5. Watch fan-out.
  await createNamespace(listClient, 'bench-watch');
  const empty = await listClient.ok<{ metadata: { resourceVersion: string } }>('GET', podsPath('bench-watch'));
  const rv = empty.json.metadata.resourceVersion;
  const rssBeforeWatch = server.rss();
  const fleet = new WatcherFleet(server.port, server.credentials, watcherCount, /"name":"(w-\d+)"/);
  let watch: {
    setupMs: number;
    rssBefore: number;
    rssOpen: number;
    rssAfter: number;
    complete: boolean;
    events: number;
    expected: number;
    fromResponse: { p50: number; p99: number; max: number };
    fromRequest: { p50: number; p99: number; max: number };
    writeP50: number;
    writeP99: number;
    writesMs: number;
    drainMs: number;
    errors: number;
    setupCpu: CpuUse;
    deliveryCpu: CpuUse;
  };
  try {
    meter = cpuMeter(server);
    const setupMs = await fleet.open(`${podsPath('bench-watch')}?watch=true&resourceVersion=${rv}`, watcherCount, 50);
    const setupCpu = meter();
    await sleep(500);
    const rssOpen = server.rss();
    log(`${watcherCount} watchers open in ${(setupMs / 1000).toFixed(1)} s, server RSS ${mib(rssOpen)}`);
    const writeClient = new Client(server.port, server.credentials, 1);
    await writeClient.ok('GET', podsPath('bench-watch') + '?limit=1');
    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const writeMs: number[] = [];
    meter = cpuMeter(server);
    const writesStarted = performance.now();
    for (let i = 0; i < watchWrites; i++) {
      const name = `w-${i}`;
      sentAt.set(name, performance.now());
      const res = await writeClient.ok('POST', podsPath('bench-watch'), pod('bench-watch', name));
      answeredAt.set(name, performance.now());
      writeMs.push(res.ms);
    }
    const writesMs = performance.now() - writesStarted;
    const complete = await fleet.waitFor(watchWrites, 60_000);
    const drainMs = performance.now() - writesStarted;
    const deliveryCpu = meter();
    const rssAfter = server.rss();
    writeClient.close();
    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    for (const receipts of fleet.receipts) {
      for (const receipt of receipts) {
        const answered = answeredAt.get(receipt.name);
        const sent = sentAt.get(receipt.name);
        if (answered !== undefined) fromResponse.push(receipt.at - answered);
        if (sent !== undefined) fromRequest.push(receipt.at - sent);
      }
    }
    const summary = (values: number[]): { p50: number; p99: number; max: number } => ({ p50: percentile(values, 50), p99: percentile(values, 99), max: percentile(values, 100) });
    watch = {
      setupMs,
      rssBefore: rssBeforeWatch,
      rssOpen,
      rssAfter,
      complete,
      events: fromResponse.length,
      expected: watcherCount * watchWrites,
      fromResponse: summary(fromResponse),
      fromRequest: summary(fromRequest),
      writeP50: percentile(writeMs, 50),
      writeP99: percentile(writeMs, 99),
      writesMs,
      drainMs,
      errors: fleet.errors,
      setupCpu,
      deliveryCpu,
    };
    log(`watch: ${watch.events}/${watch.expected} events, delivery p50 ${ms(watch.fromResponse.p50)} p99 ${ms(watch.fromResponse.p99)}, all delivered ${ms(drainMs)} after the first write`);
  } finally {
    fleet.close();
    listClient.close();
  }
  await shutdown(server);
  if (profDir) log(`CPU profile written to ${profDir}`);

  // Report.
  const startMedianReported = median(startRuns.map((r) => r.reportedMs));
  const startMedianWall = median(startRuns.map((r) => r.wallMs));
  const idleRssMedian = median(startRuns.map((r) => r.idleRss));
  const at16 = crud.find((r) => r.clients === 16)!;
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const rows: string[][] = [];
  startRuns.forEach((r, i) => rows.push([`start ${i + 1}: ready (server-reported / spawn→/readyz 200)`, `${r.reportedMs} ms / ${Math.round(r.wallMs)} ms`, '', '']));
  rows.push(['start-to-ready, median (reported / wall)', `${startMedianReported} ms / ${Math.round(startMedianWall)} ms`, '< 1 s', mark(startMedianWall < 1000)]);
  rows.push([`idle RSS after ready + ${idleMs / 1000} s (median of ${starts})`, `${mib(idleRssMedian)} (${startRuns.map((r) => mib(r.idleRss)).join(', ')})`, '< 150 MiB', mark(idleRssMedian < 150 * 1024 * 1024)]);
  for (const r of crud) {
    const aim = r.clients === 16;
    rows.push([`${r.clients} client(s): creates/s`, r.createsPerSec.toFixed(0), aim ? '≥ 2,000/s' : '', aim ? mark(r.createsPerSec >= 2000) : '']);
    rows.push([`${r.clients} client(s): create p50 / p99`, `${ms(r.create.p50)} / ${ms(r.create.p99)}`, aim ? 'p99 < 20 ms' : '', aim ? mark(r.create.p99 < 20) : '']);
    rows.push([`${r.clients} client(s): get p50 / p99 (${r.getsPerSec.toFixed(0)}/s)`, `${ms(r.get.p50)} / ${ms(r.get.p99)}`, '', '']);
    rows.push([`${r.clients} client(s): update p50 / p99 (${r.updatesPerSec.toFixed(0)}/s)`, `${ms(r.update.p50)} / ${ms(r.update.p99)}`, '', '']);
    rows.push([`${r.clients} client(s): CPU per create, server / client`, perOp(r.cpu.create, opsPerLevel), '', '']);
    rows.push([`${r.clients} client(s): CPU per get, server / client`, perOp(r.cpu.get, opsPerLevel), '', '']);
    rows.push([`${r.clients} client(s): CPU per update, server / client`, perOp(r.cpu.update, opsPerLevel), '', '']);
  }
  rows.push([`fill ${listPods} pods at 64 clients: creates/s; CPU per create`, `${(listPods / (fillMs / 1000)).toFixed(0)}; ${perOp(fillCpu, listPods)}`, '', '']);
  rows.push([`list ${listPods} pods, JSON (median of ${listRuns}; ${mib(jsonBytes)})`, `${ms(median(listJson))} (${listJson.map((v) => Math.round(v)).join(', ')})`, '< 300 ms', mark(median(listJson) < 300)]);
  rows.push([`list ${listPods} pods, Table (median of ${listRuns}; ${mib(tableBytes)})`, `${ms(median(listTable))} (${listTable.map((v) => Math.round(v)).join(', ')})`, '< 300 ms', mark(median(listTable) < 300)]);
  const sumCpu = (uses: CpuUse[]): CpuUse => uses.reduce((a, b) => ({ serverMs: a.serverMs + b.serverMs, serverSysMs: a.serverSysMs + b.serverSysMs, clientMs: a.clientMs + b.clientMs }));
  rows.push([`list: CPU per JSON list, server / client (mean of ${listRuns})`, perOp(sumCpu(listJsonCpu), listRuns), '', '']);
  rows.push([`list: CPU per Table list, server / client (mean of ${listRuns})`, perOp(sumCpu(listTableCpu), listRuns), '', '']);
  rows.push([`${watcherCount} watchers: open (50 handshakes at a time)`, ms(watch.setupMs), '', '']);
  rows.push([`${watcherCount} watchers: CPU per watch opened, server / client`, perOp(watch.setupCpu, watcherCount), '', '']);
  rows.push([`${watcherCount} watchers: events received`, `${watch.events} / ${watch.expected}${watch.complete ? '' : ' (timed out)'}`, '', '']);
  rows.push([`${watcherCount} watchers: delivery after write response, p50 / p99`, `${ms(watch.fromResponse.p50)} / ${ms(watch.fromResponse.p99)} (max ${ms(watch.fromResponse.max)})`, 'p99 < 100 ms', mark(watch.fromResponse.p99 < 100)]);
  rows.push([`${watcherCount} watchers: delivery after write request, p50 / p99`, `${ms(watch.fromRequest.p50)} / ${ms(watch.fromRequest.p99)}`, '', '']);
  rows.push([`${watcherCount} watchers: write (create) p50 / p99 while watched`, `${ms(watch.writeP50)} / ${ms(watch.writeP99)}`, '', '']);
  rows.push([`${watcherCount} watchers: ${watchWrites} writes took / all events in`, `${ms(watch.writesMs)} / ${ms(watch.drainMs)}`, '', '']);
  rows.push([`${watcherCount} watchers: CPU per delivered event, server / client`, perOp(watch.deliveryCpu, watch.expected), '', '']);
  rows.push([`server RSS: before watchers / ${watcherCount} open / after writes`, `${mib(watch.rssBefore)} / ${mib(watch.rssOpen)} / ${mib(watch.rssAfter)}`, '', '']);

  console.log(`\nk8ts API benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, Linux ${machine.kernel}, Node ${machine.node}; load average at start ${load.join(' ')}`);
  console.log('(client and server share the machine, so latencies include CPU contention with the client; CPU per op: server µs (of which kernel) / client µs)\n');
  console.log(table(['measure', 'value', 'aim', ''], rows));
  console.log();
  const r2 = (v: number): number => round(v, 2);
  console.log(
    JSON.stringify({
      machine: { ...machine, loadAverage: load },
      start: { runs: startRuns.map((r) => ({ reportedMs: r.reportedMs, wallMs: r2(r.wallMs) })), medianReportedMs: startMedianReported, medianWallMs: r2(startMedianWall) },
      idleRssMiB: { median: r2(idleRssMedian / 2 ** 20), runs: startRuns.map((r) => r2(r.idleRss / 2 ** 20)) },
      crud: crud.map((r) => ({
        clients: r.clients,
        createsPerSec: r2(r.createsPerSec),
        getsPerSec: r2(r.getsPerSec),
        updatesPerSec: r2(r.updatesPerSec),
        createMs: { p50: r2(r.create.p50), p99: r2(r.create.p99) },
        getMs: { p50: r2(r.get.p50), p99: r2(r.get.p99) },
        updateMs: { p50: r2(r.update.p50), p99: r2(r.update.p99) },
        cpuPerOp: { create: cpuJson(r.cpu.create, opsPerLevel), get: cpuJson(r.cpu.get, opsPerLevel), update: cpuJson(r.cpu.update, opsPerLevel) },
      })),
      list: { pods: listPods, jsonMs: { median: r2(median(listJson)), runs: listJson.map(r2) }, tableMs: { median: r2(median(listTable)), runs: listTable.map(r2) }, jsonBytes, tableBytes, fillPerSec: r2(listPods / (fillMs / 1000)), cpuPerList: { json: cpuJson(sumCpu(listJsonCpu), listRuns), table: cpuJson(sumCpu(listTableCpu), listRuns) }, fillCpuPerCreate: cpuJson(fillCpu, listPods) },
      watch: {
        watchers: watcherCount,
        writes: watchWrites,
        setupMs: r2(watch.setupMs),
        events: watch.events,
        expected: watch.expected,
        deliveryMs: { p50: r2(watch.fromResponse.p50), p99: r2(watch.fromResponse.p99), max: r2(watch.fromResponse.max) },
        deliveryFromRequestMs: { p50: r2(watch.fromRequest.p50), p99: r2(watch.fromRequest.p99) },
        writesMs: r2(watch.writesMs),
        drainMs: r2(watch.drainMs),
        rssMiB: { before: r2(watch.rssBefore / 2 ** 20), open: r2(watch.rssOpen / 2 ** 20), afterWrites: r2(watch.rssAfter / 2 ** 20) },
        errors: watch.errors,
        cpuPerWatchOpened: cpuJson(watch.setupCpu, watcherCount),
        cpuPerEvent: cpuJson(watch.deliveryCpu, watch.expected),
      },
    }),
  );
}

if (compareDatastores) {
  await import('./datastores.bench.js');
} else {
  main().then(
    () => cleanup(),
    async (error: unknown) => {
      process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
      await cleanup();
      process.exitCode = 1;
    },
  );
}
