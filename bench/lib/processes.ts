// Long-running k8ts processes for the end-to-end benchmarks (server, controller manager, simulated
// nodes): spawned straight from `node dist/src/cli/main.js …` so the pid held is the component's
// own, with their output kept, their CPU time (/proc/<pid>/stat) and peak RSS (VmHWM), and a stop
// that sends SIGTERM to that pid only (SIGKILL after 10 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFromKubeconfig, freePort, peakRss, readCpu, readRss, type Credentials } from './server.js';
import { k8tsNodeFlags } from './node-flags.js';

export interface K8tsProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  output(): string;
  running(): boolean;
  /** user + system CPU time so far, in ms. */
  cpuMs(): number;
  /** Peak resident set (VmHWM), in bytes. */
  peakRss(): number;
  rss(): number;
  /** Resolves once the output matches pattern; throws if the process exits or timeoutMs passes. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}


export function spawnK8ts(name: string, mainJs: string, args: readonly string[], nodeFlags: readonly string[] = []): K8tsProcess {
  const child = spawn(process.execPath, [...k8tsNodeFlags, ...nodeFlags, mainJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let dead = false;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  void exited.then(() => (dead = true));
  const pid = child.pid!;
  // The last figures read while it ran, so they stay available after it exits.
  let lastCpu = 0;
  let lastPeak = Number.NaN;
  const proc: K8tsProcess = {
    name,
    pid,
    child,
    output: () => output,
    running: () => !dead,
    cpuMs() {
      if (!dead) {
        try {
          const cpu = readCpu(pid);
          lastCpu = cpu.userMs + cpu.systemMs;
        } catch {
          // exited between the check and the read
        }
      }
      return lastCpu;
    },
    peakRss() {
      if (!dead) {
        try {
          lastPeak = peakRss(pid);
        } catch {
          // exited
        }
      }
      return lastPeak;
    },
    rss: () => (dead ? Number.NaN : readRss(pid)),
    async waitForOutput(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (dead) throw new Error(`${name} exited:\n${output.slice(-4000)}`);
        if (performance.now() > deadline) throw new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (dead) return;
      proc.cpuMs();
      proc.peakRss();
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!dead) child.kill('SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return proc;
}

export interface ServerProcess extends K8tsProcess {
  port: number;
  dataDir: string;
  kubeconfigPath: string;
  credentials: Credentials;
  /** Stops the server and removes its data dir. */
  destroy(): Promise<void>;
}

/** A `k8ts server` on a free loopback port with a fresh data dir, plus extra server flags. */
export async function startK8tsServer(mainJs: string, extraArgs: readonly string[], timeoutMs = 60_000, nodeFlags: readonly string[] = []): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-bench-'));
  const port = await freePort();
  const proc = spawnK8ts('k8ts server', mainJs, ['server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--secure-port', String(port), ...extraArgs], nodeFlags);
  const destroy = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await proc.waitForOutput(/ready in \d+ ms[\s\S]*kubeconfig:/, timeoutMs);
  } catch (error) {
    await destroy();
    throw error;
  }
  const kubeconfigPath = join(dataDir, 'kubeconfig.yaml');
  const credentials = credentialsFromKubeconfig(kubeconfigPath);
  return Object.assign(proc, { port, dataDir, kubeconfigPath, credentials, destroy });
}
