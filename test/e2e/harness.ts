// Starts a real `k8ts server` process on a free port with a fresh data dir, and runs the real
// kubectl against it. Every test file that needs a cluster uses this; nothing here is faked.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const k8tsBin = join(repoRoot, 'bin/k8ts');
export const kubectlDir = '/usr/lib/google-cloud-sdk/bin';
/** How long a server may take to print that it is ready. */
const startTimeoutMs = 30_000;
/** How long a stopped server may take to exit before it is killed (a graceful stop takes seconds). */
const serverStopTimeoutMs = 30_000;
/** cluster.waitFor's default patience, and how often it polls. */
const waitForTimeoutMs = 30_000;
const pollIntervalMs = 200;

export function kubectlPath(minor = 32): string {
  return join(kubectlDir, `kubectl.1.${minor}`);
}

export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  /** Runs kubectl; resolves with stdout, stderr and the exit code (never rejects on a non-zero exit). */
  kubectl(args: string[], options?: { minor?: number; input?: string; env?: Record<string, string> }): Promise<{ stdout: string; stderr: string; code: number }>;
  /** Like kubectl, but throws with stderr when the exit code is not 0. */
  ok(args: string[], options?: { minor?: number; input?: string; env?: Record<string, string> }): Promise<string>;
  /** `kubectl get <args> -o json`, parsed; undefined when kubectl fails (e.g. not found). */
  json(args: string[]): Promise<any>;
  /** Runs kubectl until it succeeds with output matching `expected`; fails with the last output seen. */
  waitFor(args: string[], expected: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops (if running) and removes the data dir. */
  destroy(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  /** A fixed port, so a restarted server is found where its clients left it. */
  port?: number;
  /** Remove a given dataDir on destroy too (a restarted cluster takes over its predecessor's). */
  ownsDataDir?: boolean;
  extraArgs?: string[];
  /** Run the local node agent (the harness passes --disable-agent otherwise). */
  agent?: boolean;
}

/** A port that was free a moment ago (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
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

export async function startCluster(options: StartOptions = {}): Promise<TestCluster> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
  const child = spawn(k8tsBin, ['server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--secure-port', String(options.port ?? 0), ...(options.agent ? ['--kubelet-port', '0'] : ['--disable-agent']), ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, K8TS_EXIT_WITH_PARENT: '1' },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`k8ts server did not become ready:\n${output}`)), startTimeoutMs);
    const check = (): void => {
      const match = /listening on port (\d+)/.exec(output);
      if (match && output.includes('kubeconfig:')) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`k8ts server exited with ${code}:\n${output}`));
    });
  });
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  let exited: Promise<number | null> = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const kubectl: TestCluster['kubectl'] = (args, opts = {}) =>
    new Promise((resolveRun) => {
      const proc = execFile(
        kubectlPath(opts.minor),
        ['--kubeconfig', kubeconfig, ...args],
        { env: { ...process.env, KUBECACHEDIR: join(dataDir, 'kubectl-cache'), ...(opts.env ?? {}) }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
        (error, stdout, stderr) => resolveRun({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
      );
      if (opts.input !== undefined) proc.stdin!.end(opts.input);
      else proc.stdin!.end();
    });
  const cluster: TestCluster = {
    dataDir,
    kubeconfig,
    port,
    process: child,
    output: () => output,
    kubectl,
    async ok(args, opts) {
      const result = await kubectl(args, opts);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    async json(args) {
      const result = await kubectl(['get', ...args, '-o', 'json']);
      return result.code === 0 ? JSON.parse(result.stdout) : undefined;
    },
    async waitFor(args, expected, timeoutMs = waitForTimeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        const result = await kubectl(args);
        last = result.stdout + result.stderr;
        if (result.code === 0 && expected.test(result.stdout)) return result.stdout;
        await new Promise((resolveSleep) => setTimeout(resolveSleep, pollIntervalMs));
      }
      throw new Error(`kubectl ${args.join(' ')}: expected ${expected}, last saw ${JSON.stringify(last)}`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      // A server that hangs on its way out (a test broke it) must not outlive the test run.
      const timer = setTimeout(() => child.kill('SIGKILL'), serverStopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async destroy() {
      await cluster.stop('SIGTERM');
      if (!options.dataDir || options.ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  exited = exited.then((code) => code);
  return cluster;
}

/** Polls until check returns a value (not undefined) or the time is up; errors count as "not yet". */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface K8tsProcess {
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code when the process ends by itself (or is stopped). */
  exited: Promise<number | null>;
  /** Stops it (SIGTERM) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts another k8ts command (a second scheduler, a standalone controller manager, simulated nodes) for a test. */
export function startK8ts(args: string[]): K8tsProcess {
  const child = spawn(k8tsBin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_EXIT_WITH_PARENT: '1' } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
