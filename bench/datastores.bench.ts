// Datastore comparison: the same ConfigMap workload (creates, gets, updates at 16 clients, then
// lists of all of them) against
//   (a) k8ts on SQLite (the default datastore),
//   (b) k8ts on etcd (a fresh single-member etcd on free loopback ports), and
//   (c) that etcd straight through the etcd3 gRPC client, doing the key/value operations k8ts's
//       EtcdStore does for the same requests: put-if-absent txn (create), range get (get),
//       compare-and-swap txn on mod_revision (update), prefix range (list).
// (c) is the reference: the ratios say what the API server (HTTPS, authn/authz, admission,
// validation, JSON, the watch cache, ...) costs on top of the datastore itself.
// Runs --rounds rounds, each on fresh servers and a fresh etcd, and reports per figure the median
// over rounds (other work on the machine moves single runs a lot).
// Prints a table and a JSON line; asserts nothing about time.
//
// Each backend first runs an unmeasured warm-up (--warmup creates, gets and updates in another
// namespace / prefix), so the figures are steady state rather than JIT and cold caches.
//
//   node dist/bench/datastores.bench.js [--ops 2000] [--clients 16] [--lists 10] [--warmup 300] [--rounds 3]
//   npm run bench:api -- --compare-datastores [--ops ...]     # the same thing
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient, prefixRangeEnd } from '../src/storage/etcd/etcd-client.js';
import { EtcdCluster } from '../src/storage/etcd/etcd-harness.js';
import { Client, pool } from './lib/client.js';
import { readCpu, startServer, type BenchServer } from './lib/server.js';
import { median, mib, ms, percentile, round, table } from './lib/stats.js';

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function intArg(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} wants an integer from 1 to ${max}`);
  return value;
}
const ops = intArg('ops', 2000, 100_000);
const clients = intArg('clients', 16, 1024);
const listRuns = intArg('lists', 10, 1000);
const warmup = intArg('warmup', 300, 100_000);
const roundCount = intArg('rounds', 3, 20);

const namespace = 'bench-ds';
const warmupNamespace = 'bench-ds-warmup';
const names = Array.from({ length: Math.max(ops, warmup) }, (_, i) => `cm-${i}`);
/** A small, realistic ConfigMap: a few hundred bytes of data. */
const configMap = (name: string, ns = namespace): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels: { app: 'bench' } },
  data: { 'app.properties': 'color=blue\nsize=medium\nretries=3\n'.repeat(4), mode: 'fast' },
});

interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  data: Record<string, string>;
}

interface OpResult {
  opsPerSec: number;
  p50: number;
  p99: number;
  /** CPU per operation in µs: the k8ts server, etcd, and this process (the clients); NaN where not involved. */
  cpu: CpuPerOp;
  /** After aggregation: ops/s of each round. */
  runs?: number[];
}
interface CpuPerOp {
  k8tsUs: number;
  etcdUs: number;
  clientUs: number;
}

/** The processes whose CPU time is charged to the operations measured now. */
const measured: { k8tsPid?: number; etcdPid?: number } = {};
const cpuMs = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN; // not involved in this backend
  const use = readCpu(pid);
  return use.userMs + use.systemMs;
};

/** The etcd process the harness spawned from this process (read-only scan of /proc for our child named etcd). */
function ourEtcdPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'etcd' && ppid === process.pid) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
interface BackendResult {
  backend: string;
  create: OpResult;
  get: OpResult;
  update: OpResult;
  /** One list of all `ops` objects, repeated listRuns times one after another: p50 and p99 (nearest rank; the max for 10 runs) of those. */
  list: OpResult & { items: number; bytes: number };
  /** RSS of the k8ts server after the workload (k8ts backends only). */
  serverRss?: number;
}

/** Runs `count` timed operations with `clients` workers: throughput and latency percentiles. */
async function timed(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<OpResult> {
  const latencies: number[] = [];
  const { k8tsPid, etcdPid } = measured;
  const k8ts0 = cpuMs(k8tsPid);
  const etcd0 = cpuMs(etcdPid);
  const client0 = process.cpuUsage();
  const wall = await pool(count, concurrency, async (i) => {
    const started = performance.now();
    await task(i);
    latencies.push(performance.now() - started);
  });
  const client = process.cpuUsage(client0);
  const cpu: CpuPerOp = {
    k8tsUs: ((cpuMs(k8tsPid) - k8ts0) * 1000) / count,
    etcdUs: ((cpuMs(etcdPid) - etcd0) * 1000) / count,
    clientUs: (client.user + client.system) / count,
  };
  return { opsPerSec: count / (wall / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpu };
}

const configMapsIn = (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`;
const configMapsPath = configMapsIn(namespace);

/** Creates, gets and updates of `count` ConfigMaps in `ns` through the API. */
async function k8tsCrud(client: Client, ns: string, count: number): Promise<{ create: OpResult; get: OpResult; update: OpResult }> {
  const path = configMapsIn(ns);
  const create = await timed(count, clients, async (i) => void (await client.ok('POST', path, configMap(names[i]!, ns))));
  const fetched: ConfigMap[] = [];
  const get = await timed(count, clients, async (i) => {
    fetched[i] = (await client.ok<ConfigMap>('GET', `${path}/${names[i]!}`)).json;
  });
  const update = await timed(count, clients, async (i) => {
    const object = fetched[i]!;
    object.data = { ...object.data, mode: 'updated' };
    await client.ok('PUT', `${path}/${names[i]!}`, object);
  });
  return { create, get, update };
}

/** (a) and (b): the workload through the k8ts API over HTTPS, `clients` keep-alive connections. */
async function k8tsWorkload(backend: string, server: BenchServer): Promise<BackendResult> {
  const client = new Client(server.port, server.credentials, clients);
  try {
    for (const name of [warmupNamespace, namespace]) await client.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // Warm every connection (TLS handshakes are not what is measured), then the server.
    await pool(clients, clients, async () => void (await client.ok('GET', `${configMapsPath}?limit=1`)));
    await k8tsCrud(client, warmupNamespace, warmup);
    const { create, get, update } = await k8tsCrud(client, namespace, ops);
    log(`${backend}: ${create.opsPerSec.toFixed(0)} creates/s, ${get.opsPerSec.toFixed(0)} gets/s, ${update.opsPerSec.toFixed(0)} updates/s`);
    await client.ok('GET', configMapsPath); // one unmeasured list first
    let items = 0;
    let bytes = 0;
    const list = await timed(listRuns, 1, async () => {
      const res = await client.ok<{ items: unknown[] }>('GET', configMapsPath);
      items = res.json.items.length;
      bytes = res.body.length;
    });
    if (items !== ops) throw new Error(`${backend}: list returned ${items} ConfigMaps, expected ${ops}`);
    log(`${backend}: list of ${items} p50 ${ms(list.p50)}`);
    return { backend, create, get, update, list: { ...list, items, bytes }, serverRss: server.rss() };
  } finally {
    client.close();
  }
}

/** The EtcdStore's create, get and update transactions for `count` keys under `prefix`. */
async function rawCrud(
  etcd: Etcd3,
  prefix: string,
  count: number,
  template: { created: string; updated: string },
  value: (text: string, i: number) => Buffer,
): Promise<{ create: OpResult; get: OpResult; update: OpResult }> {
  const key = (i: number): Buffer => Buffer.from(prefix + names[i]!);
  const create = await timed(count, clients, async (i) => {
    const k = key(i);
    const response = await etcd.kv.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: value(template.created, i) } }],
      failure: [],
    });
    if (!response.succeeded) throw new Error(`raw etcd: ${k.toString()} exists`);
  });
  const modRevisions: number[] = [];
  const get = await timed(count, clients, async (i) => {
    const response = await etcd.kv.range({ key: key(i) });
    const kv = response.kvs[0];
    if (!kv) throw new Error(`raw etcd: ${key(i).toString()} missing`);
    JSON.parse(kv.value.toString()); // a client of a KV store decodes what it reads, as k8ts does
    modRevisions[i] = Number(kv.mod_revision);
  });
  const update = await timed(count, clients, async (i) => {
    const k = key(i);
    const response = await etcd.kv.txn({
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: modRevisions[i]! },
      ],
      success: [{ request_put: { key: k, value: value(template.updated, i), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!response.succeeded) throw new Error(`raw etcd: conflict on ${k.toString()}`);
  });
  return { create, get, update };
}

/**
 * (c): the same key/value operations as EtcdStore issues for those requests, straight to etcd
 * with a client configured like k8ts's own (createEtcdClient). Values are the bytes k8ts stored
 * for the same objects in (b), so the payload sizes match.
 */
async function rawEtcdWorkload(etcd: Etcd3, template: { created: string; updated: string }): Promise<BackendResult> {
  const prefix = `/bench-raw/configmaps/${namespace}/`;
  const value = (text: string, i: number): Buffer => Buffer.from(text.replaceAll('"name":"cm-0"', `"name":"${names[i]!}"`));
  // Warm the channel, then the client code.
  await Promise.all(Array.from({ length: clients }, () => etcd.kv.range({ key: Buffer.from(prefix), range_end: prefixRangeEnd(Buffer.from(prefix)), limit: 1 })));
  await rawCrud(etcd, `/bench-raw/configmaps/${warmupNamespace}/`, warmup, template, value);
  const { create, get, update } = await rawCrud(etcd, prefix, ops, template, value);
  log(`raw etcd: ${create.opsPerSec.toFixed(0)} creates/s, ${get.opsPerSec.toFixed(0)} gets/s, ${update.opsPerSec.toFixed(0)} updates/s`);
  await etcd.kv.range({ key: Buffer.from(prefix), range_end: prefixRangeEnd(Buffer.from(prefix)) }); // one unmeasured list first
  let items = 0;
  let bytes = 0;
  const list = await timed(listRuns, 1, async () => {
    const response = await etcd.kv.range({ key: Buffer.from(prefix), range_end: prefixRangeEnd(Buffer.from(prefix)) });
    items = response.kvs.length;
    bytes = response.kvs.reduce((sum, kv) => sum + kv.key.length + kv.value.length, 0);
    for (const kv of response.kvs) JSON.parse(kv.value.toString());
  });
  if (items !== ops) throw new Error(`raw etcd: list returned ${items} keys, expected ${ops}`);
  log(`raw etcd: list of ${items} p50 ${ms(list.p50)}`);
  return { backend: 'raw etcd (etcd3 gRPC)', create, get, update, list: { ...list, items, bytes } };
}

// Everything started here, for cleanup on any exit path (the pids we spawned, the temp dirs).
const servers = new Set<BenchServer>();
let cluster: EtcdCluster | undefined;
let rawClient: Etcd3 | undefined;
async function cleanup(): Promise<void> {
  rawClient?.close();
  rawClient = undefined;
  for (const server of [...servers]) {
    servers.delete(server);
    await server.destroy();
  }
  const running = cluster;
  cluster = undefined;
  await running?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

async function withServer<T>(datastore: string | undefined, run: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startServer(datastore ? { datastore } : {});
  servers.add(server);
  measured.k8tsPid = server.pid;
  log(`k8ts server pid ${server.pid} on port ${server.port}, datastore ${datastore ?? 'SQLite (default)'}, ready in ${server.reportedReadyMs} ms`);
  try {
    return await run(server);
  } finally {
    measured.k8tsPid = undefined;
    servers.delete(server);
    await server.destroy();
  }
}

/** One round on fresh servers and a fresh etcd: (a), (b), (c) in that order; everything stopped after. */
async function oneRound(): Promise<BackendResult[]> {
  const results: BackendResult[] = [];
  // (a) k8ts on SQLite.
  results.push(await withServer(undefined, (server) => k8tsWorkload('k8ts on SQLite', server)));

  // (b) k8ts on a fresh etcd.
  cluster = await EtcdCluster.start(1);
  measured.etcdPid = ourEtcdPid();
  log(`etcd pid ${measured.etcdPid ?? '(not found: no etcd CPU figures)'} on ${cluster.endpoints.join(',')} (data in ${cluster.dir})`);
  rawClient = createEtcdClient({ endpoints: cluster.endpoints });
  const etcd = rawClient;
  results.push(await withServer(cluster.datastore, (server) => k8tsWorkload('k8ts on etcd', server)));

  // (c) the same operations straight against that etcd, with the k8ts server stopped. Use the
  // values k8ts stored for cm-0 (after create: metadata as k8ts fills it in; after update).
  const stored = await etcd.kv.range({ key: Buffer.from(`/registry/configmaps/${namespace}/cm-0`) });
  const updated = stored.kvs[0]?.value.toString();
  if (!updated) throw new Error(`no /registry/configmaps/${namespace}/cm-0 in etcd after the k8ts run`);
  const created = updated.replace('"mode":"updated"', '"mode":"fast"');
  log(`raw etcd values: ${Buffer.byteLength(created)} bytes (create), ${Buffer.byteLength(updated)} bytes (update), as k8ts stored them`);
  results.push(await rawEtcdWorkload(etcd, { created, updated }));
  measured.etcdPid = undefined;
  await cleanup();
  return results;
}

/** Per figure, the median over rounds (ops/s, p50, p99 and CPU each on their own). */
function medianResult(perRound: BackendResult[]): BackendResult {
  const first = perRound[0]!;
  const op = (kind: 'create' | 'get' | 'update' | 'list'): OpResult => {
    const ofKind = perRound.map((r) => r[kind]);
    const m = (pick: (o: OpResult) => number): number => median(ofKind.map(pick));
    return {
      opsPerSec: m((o) => o.opsPerSec),
      p50: m((o) => o.p50),
      p99: m((o) => o.p99),
      cpu: { k8tsUs: m((o) => o.cpu.k8tsUs), etcdUs: m((o) => o.cpu.etcdUs), clientUs: m((o) => o.cpu.clientUs) },
      runs: ofKind.map((o) => o.opsPerSec),
    };
  };
  const rss = perRound.map((r) => r.serverRss).filter((v): v is number => v !== undefined);
  return {
    backend: first.backend,
    create: op('create'),
    get: op('get'),
    update: op('update'),
    list: { ...op('list'), items: first.list.items, bytes: first.list.bytes },
    ...(rss.length > 0 ? { serverRss: median(rss) } : {}),
  };
}

async function main(): Promise<void> {
  const cpu = cpus();
  const machine = { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, memory: mib(totalmem()), kernel: release(), node: process.version };
  const loadStart = loadavg().map((v) => round(v, 2));
  log(`machine: load average ${loadStart.join(' ')}; ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, Linux ${machine.kernel}, Node ${machine.node}`);
  log(`workload: ${ops} ConfigMaps, ${clients} clients; ${listRuns} lists; warm-up ${warmup} of each write/read first; ${roundCount} rounds`);

  const rounds: BackendResult[][] = [];
  for (let n = 1; n <= roundCount; n++) {
    log(`round ${n} of ${roundCount} (load average ${loadavg().map((v) => v.toFixed(2)).join(' ')})`);
    rounds.push(await oneRound());
  }
  const loadEnd = loadavg().map((v) => round(v, 2));
  const results = [0, 1, 2].map((i) => medianResult(rounds.map((r) => r[i]!)));

  // Report.
  const raw = results[2]!;
  const ratio = (value: number, reference: number): string => (Number.isFinite(value / reference) ? `${(value / reference).toFixed(2)}×` : 'n/a');
  const rows: string[][] = [];
  const kinds = ['create', 'get', 'update', 'list'] as const;
  const label = { create: `create (${clients} clients)`, get: `get (${clients} clients)`, update: `update (${clients} clients)`, list: `list all ${ops} (1 client, ${listRuns}×)` };
  for (const kind of kinds) {
    for (const r of results) {
      const op = r[kind];
      const isRaw = r === raw;
      rows.push([
        label[kind],
        r.backend,
        op.opsPerSec.toFixed(0),
        (op.runs ?? []).map((v) => v.toFixed(0)).join(', '),
        ms(op.p50),
        ms(op.p99),
        isRaw ? '1' : ratio(op.opsPerSec, raw[kind].opsPerSec),
        isRaw ? '1' : ratio(op.p50, raw[kind].p50),
        isRaw ? '1' : ratio(op.p99, raw[kind].p99),
      ]);
    }
  }
  console.log(`\nk8ts datastore comparison — ${machine.cpu}, ${machine.cores} cores, ${machine.memory} RAM, Linux ${machine.kernel}, Node ${machine.node}`);
  console.log(`load average at start ${loadStart.join(' ')}, at end ${loadEnd.join(' ')}`);
  console.log(`median of ${roundCount} rounds (fresh servers and etcd each); ${ops} ConfigMaps (after ${warmup} unmeasured in another namespace); etcd single member on loopback, data dirs under ${tmpdir()}; clients, k8ts and etcd share the machine`);
  console.log('ratios are to raw etcd: ops/s (higher is better) and latency (lower is better)\n');
  console.log(table(['operation', 'backend', 'ops/s', '(rounds)', 'p50', 'p99', 'ops/s vs raw', 'p50 vs raw', 'p99 vs raw'], rows));
  console.log('\nCPU per operation, µs (user + system; the servers\' are 10 ms clock ticks averaged over the run, so the list rows are coarse; – = not involved)\n');
  const us = (v: number): string => (Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US'));
  const sum = (...values: number[]): number => values.filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0);
  const cpuRows: string[][] = [];
  for (const kind of kinds) {
    for (const r of results) {
      const c = r[kind].cpu;
      cpuRows.push([label[kind], r.backend, us(c.k8tsUs), us(c.etcdUs), us(c.clientUs), us(sum(c.k8tsUs, c.etcdUs, c.clientUs))]);
    }
  }
  console.log(table(['operation', 'backend', 'k8ts server', 'etcd', 'bench client', 'total'], cpuRows));
  console.log();
  for (const r of results) {
    if (r.serverRss !== undefined) console.log(`${r.backend}: server RSS after the workload ${mib(r.serverRss)}; list response ${mib(r.list.bytes)}`);
  }
  console.log(`raw etcd: list payload (keys + values) ${mib(raw.list.bytes)}\n`);
  const r2 = (v: number): number => round(v, 2);
  const opJson = (op: OpResult): { opsPerSec: number; p50Ms: number; p99Ms: number; opsPerSecRounds: number[]; cpuUsPerOp: { k8tsUs: number | null; etcdUs: number | null; clientUs: number } } => ({
    opsPerSec: r2(op.opsPerSec),
    p50Ms: r2(op.p50),
    p99Ms: r2(op.p99),
    opsPerSecRounds: (op.runs ?? []).map(r2),
    cpuUsPerOp: { k8tsUs: Number.isNaN(op.cpu.k8tsUs) ? null : Math.round(op.cpu.k8tsUs), etcdUs: Number.isNaN(op.cpu.etcdUs) ? null : Math.round(op.cpu.etcdUs), clientUs: Math.round(op.cpu.clientUs) },
  });
  const ratios = (r: BackendResult): Record<string, { opsPerSec: number; p50: number; p99: number }> =>
    Object.fromEntries(kinds.map((kind) => [kind, { opsPerSec: r2(r[kind].opsPerSec / raw[kind].opsPerSec), p50: r2(r[kind].p50 / raw[kind].p50), p99: r2(r[kind].p99 / raw[kind].p99) }]));
  console.log(
    JSON.stringify({
      bench: 'datastores',
      machine: { ...machine, loadAverage: { start: loadStart, end: loadEnd } },
      workload: { configMaps: ops, clients, listRuns, warmup, rounds: roundCount },
      results: results.map((r) => ({
        backend: r.backend,
        create: opJson(r.create),
        get: opJson(r.get),
        update: opJson(r.update),
        list: { ...opJson(r.list), items: r.list.items, bytes: r.list.bytes },
        ...(r.serverRss !== undefined ? { serverRssMiB: r2(r.serverRss / 2 ** 20) } : {}),
      })),
      ratios: { k8tsEtcdOverRawEtcd: ratios(results[1]!), k8tsSqliteOverRawEtcd: ratios(results[0]!) },
    }),
  );
}

main().then(
  () => cleanup(),
  async (error: unknown) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
    await cleanup();
    process.exitCode = 1;
  },
);
