// Every short-lived command the runtime runs (mount, ip, unshare, CNI plugins, the OCI runtime's
// kill/delete/state, mkfifo, nft) goes through runCommand. Node's spawn forks the calling process
// on its event loop, and the fork's cost grows with the caller's memory: about 1.7 ms from a
// 55 MiB process but 11 ms from a 150 MiB one, measured here. An agent starting 100 pods runs
// over a thousand commands, so forking them from the agent stalled it for seconds. After
// useSpawnHelper() the commands are forked by a small helper process instead (spawn-helper.ts),
// and the agent only exchanges messages with it.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunOptions {
  /** Written to the command's standard input. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** As execFile's error: the exit code (or signal), and what the command printed. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly code: number | string | null,
    readonly signal: string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/** Output kept per stream; more fails the command (as execFile's maxBuffer). */
export const commandMaxOutputBytes = 4 << 20;
/** Commands waiting for the helper at once; beyond this the caller runs them itself. */
export const helperMaxInFlight = 1024;

export interface CommandRequest {
  id: number;
  file: string;
  args: string[];
  options: RunOptions;
}

export type CommandReply = { id: number; stdout: string; stderr: string } | { id: number; error: { message: string; code: number | string | null; signal: string | null; stdout: string; stderr: string } };

/** Runs one command here, in this process. */
export function runLocally(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { env: options.env, cwd: options.cwd, timeout: options.timeoutMs ?? 0, maxBuffer: commandMaxOutputBytes, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { code?: number | string | null; signal?: string | null };
        reject(new CommandError(failure.message, failure.code ?? null, failure.signal ?? null, stdout, stderr));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

interface Pending {
  resolve(result: RunResult): void;
  reject(error: Error): void;
}

class SpawnHelper {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead = false;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: CommandReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.hold(false);
      if ('error' in reply) waiter.reject(new CommandError(reply.error.message, reply.error.code, reply.error.signal, reply.error.stdout, reply.error.stderr));
      else waiter.resolve({ stdout: reply.stdout, stderr: reply.stderr });
    });
    child.on('exit', () => {
      this.dead = true;
      for (const [, waiter] of this.pending) waiter.reject(new Error('the spawn helper exited'));
      this.pending.clear();
    });
    // An idle helper must never keep its parent alive; one with commands running does.
    this.hold(false);
  }

  private hold(on: boolean): void {
    const channel = (this.child as unknown as { channel?: { ref(): void; unref(): void } }).channel;
    if (on) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }

  usable(): boolean {
    return !this.dead && this.child.connected && this.pending.size < helperMaxInFlight;
  }

  run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.hold(true);
      this.pending.set(id, { resolve, reject });
      const request: CommandRequest = { id, file, args: [...args], options };
      this.child.send(request, (error) => {
        if (!error) return;
        this.pending.delete(id);
        if (this.pending.size === 0) this.hold(false);
        reject(error);
      });
    });
  }

  stop(): void {
    this.dead = true;
    this.child.kill();
  }
}

let helper: SpawnHelper | undefined;

/** Runs `file args`; resolves with its output, rejects with a CommandError unless it exits 0. */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  if (helper?.usable()) return helper.run(file, args, options);
  return runLocally(file, args, options);
}

/**
 * From now on, commands are forked by a helper process (for long-running processes that grow,
 * such as the agent). Falls back to forking here if the helper dies.
 */
export function useSpawnHelper(): void {
  if (helper?.usable()) return;
  const script = fileURLToPath(new URL('./spawn-helper.js', import.meta.url));
  // A small heap keeps the helper's own forks cheap; it only relays commands.
  const child = fork(script, [], { execArgv: ['--max-old-space-size=64'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
  helper = new SpawnHelper(child);
}

export function stopSpawnHelper(): void {
  helper?.stop();
  helper = undefined;
}
