// Each container runs under a tiny supervisor: /bin/sh running the OCI runtime's `run` in the
// foreground, then writing its exit status to a file. The supervisor is detached from the agent
// (its own session), so containers outlive an agent restart, and the exit status is on disk for
// whichever agent asks. The OCI runtime in the foreground is the container's parent and exits
// with its status (128+signal when killed).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const script = '"$@"; status=$?; echo "$status" > "$K8TS_EXIT_FILE.tmp"; mv "$K8TS_EXIT_FILE.tmp" "$K8TS_EXIT_FILE"';

export interface SupervisorOptions {
  argv: string[];
  exitFile: string;
  stdoutFd: number;
  stderrFd: number;
  /** The container's stdin (a FIFO end); none means /dev/null. */
  stdinFd?: number;
  cwd: string;
}

/** Starts the supervisor and returns its pid; `onExit` fires if this process is still there to see it. */
export function startSupervisor(options: SupervisorOptions, onExit: () => void): number {
  const stdin = options.stdinFd ?? 'ignore';
  const child = spawn('/bin/sh', ['-c', script, 'k8ts-supervisor', ...options.argv], {
    detached: true,
    cwd: options.cwd,
    stdio: [stdin, options.stdoutFd, options.stderrFd],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', K8TS_EXIT_FILE: options.exitFile },
  });
  child.once('exit', onExit);
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the container supervisor');
  return child.pid;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The last error the OCI runtime wrote to its --log (JSON lines), for a failed start. */
export async function runtimeError(logFile: string): Promise<string> {
  try {
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n').reverse();
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if (entry.level === 'error' && entry.msg) return entry.msg;
      } catch {
        if (line.trim()) return line.trim();
      }
    }
  } catch {
    // No log: fall through.
  }
  return 'the OCI runtime failed without a message';
}
