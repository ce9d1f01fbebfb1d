// Starts and stops a real `k8ts server` for a benchmark: fresh temp data dir, a free loopback
// port, the time it reports and the wall time until /readyz answers 200, and its RSS.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { k8tsEntry, k8tsNodeFlags } from './node-flags.js';

const mainJs = k8tsEntry;
const startTimeoutMs = 30_000;

export interface Credentials {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The admin credentials a server wrote into its kubeconfig (embedded CA, certificate and key). */
export function credentialsFromKubeconfig(path: string): Credentials {
  const kubeconfig = parse(readFileSync(path, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'base64');
  return {
    ca: b64(kubeconfig.clusters[0]?.cluster['certificate-authority-data']),
    cert: b64(kubeconfig.users[0]?.user['client-certificate-data']),
    key: b64(kubeconfig.users[0]?.user['client-key-data']),
  };
}

export interface BenchServer {
  pid: number;
  port: number;
  dataDir: string;
  /** The "ready in N ms" figure the server printed. */
  reportedReadyMs: number;
  /** Wall time from spawn until GET /readyz answered 200. */
  wallReadyMs: number;
  credentials: Credentials;
  output: () => string;
  /** Resident set size of the server process now (VmRSS), in bytes. */
  rss(): number;
  /** CPU time the server process has used so far, in ms (user + system, 1 clock tick resolution). */
  cpu(): CpuTime;
  /** Stops the process (SIGTERM to its pid, SIGKILL after 10 s) and removes the data dir. */
  destroy(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export interface CpuTime {
  userMs: number;
  systemMs: number;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime and stime of a process from /proc/<pid>/stat. */
export function readCpu(pid: number): CpuTime {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const msPerTick = 1000 / ticksPerSecond();
  return { userMs: Number(fields[11]) * msPerTick, systemMs: Number(fields[12]) * msPerTick };
}

/**
 * CPU (user + system, ms) of each thread of a process, grouped by what it is: the main thread
 * (whose id is the pid), threads that named themselves (the server's scheduler thread is
 * "k8ts-scheduler"), and the rest under "other" — V8's GC and compiler helpers and libuv's pool,
 * which all keep node's default name.
 * Each group also has a "GROUP sys" entry: the part of it spent in the kernel.
 */
export function readThreadCpu(pid: number): Map<string, number> {
  const msPerTick = 1000 / ticksPerSecond();
  const byGroup = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byGroup;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between listing and reading
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const group = tid === String(pid) ? 'main' : comm === 'node' ? 'other' : comm;
    byGroup.set(group, (byGroup.get(group) ?? 0) + (Number(fields[11]) + Number(fields[12])) * msPerTick);
    // Kernel time on its own too ("main sys"): system calls (socket writes, SQLite's WAL) show there.
    byGroup.set(`${group} sys`, (byGroup.get(`${group} sys`) ?? 0) + Number(fields[12]) * msPerTick);
  }
  return byGroup;
}

/** VmHWM (peak resident set) of a process, in bytes. */
export function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** One GET /readyz on a fresh connection; the status code, or 0 when the port does not answer. */
function probeReadyz(port: number): Promise<number> {
  return new Promise((resolveStatus) => {
    // /readyz needs no credentials; the CA is not known before the server has written it.
    const req = request({ host: '127.0.0.1', port, path: '/readyz', method: 'GET', rejectUnauthorized: false, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveStatus(0));
    req.end();
  });
}

export interface StartOptions {
  /** Node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeFlags?: string[];
  /** --datastore for the server, e.g. etcd://127.0.0.1:2379; the server's default (SQLite in the data dir) otherwise. */
  datastore?: string;
  /** More `k8ts server` flags, e.g. ['--disable-controller-manager']. */
  serverArgs?: string[];
}

export async function startServer(options: StartOptions = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-'));
  const port = await freePort();
  // The same command bin/k8ts execs, spawned directly so that node flags can be added and the
  // pid we hold is the server's own.
  const args = [...k8tsNodeFlags, ...(options.nodeFlags ?? []), mainJs, 'server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--secure-port', String(port), '--disable-agent', ...(options.datastore ? ['--datastore', options.datastore] : []), ...(options.serverArgs ?? [])];
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let dead = false;
  void exited.then(() => (dead = true));

  const stop = async (): Promise<void> => {
    if (!dead && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!dead) child.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    let wallReadyMs = Number.NaN;
    const deadline = spawnedAt + startTimeoutMs;
    for (;;) {
      if (dead) throw new Error(`k8ts server exited during start:\n${output}`);
      if (performance.now() > deadline) throw new Error(`k8ts server not ready within ${startTimeoutMs} ms:\n${output}`);
      const status = await probeReadyz(port);
      if (status === 200) {
        wallReadyMs = performance.now() - spawnedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    // The kubeconfig is written after the readiness flip; wait for the printed lines too.
    for (;;) {
      if (/ready in (\d+) ms/.test(output) && output.includes('kubeconfig:')) break;
      if (dead) throw new Error(`k8ts server exited during start:\n${output}`);
      if (performance.now() > deadline) throw new Error(`k8ts server printed no ready line:\n${output}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const reportedReadyMs = Number(/ready in (\d+) ms/.exec(output)![1]);
    const credentials = credentialsFromKubeconfig(join(dataDir, 'kubeconfig.yaml'));
    const pid = child.pid!;
    return { pid, port, dataDir, reportedReadyMs, wallReadyMs, credentials, output: () => output, rss: () => readRss(pid), cpu: () => readCpu(pid), destroy: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
