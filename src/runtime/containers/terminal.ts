// Exec on a terminal. `runc exec --tty` in the foreground wants a terminal of its own to copy to
// and from; a pipe is not one. util-linux `script` runs it on a fresh pseudo-terminal whose other
// end is our pipes (stderr then arrives merged into stdout, as on any terminal). A resize is set
// on that terminal (the kernel sends the OCI runtime SIGWINCH; runc passes the size on) and,
// since crun 1.8 does not pass it on, on the command's own terminal too, reached from the host.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Starts the OCI runtime's exec argv, on a pseudo-terminal when `tty`. */
export function spawnExec(argv: readonly string[], tty: boolean): ChildProcess {
  return tty
    ? spawn('script', ['--quiet', '--flush', '--return', '--command', argv.map(shellQuote).join(' '), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TERM: process.env.TERM ?? 'xterm' } })
    : spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resizes the terminal of an exec started by spawnExec with `tty`. */
export async function resizeExecTerminal(child: ChildProcess, size: { rows: number; cols: number }): Promise<void> {
  if (!child.pid) return;
  const dimensions = ['rows', String(Math.max(1, Math.floor(size.rows))), 'cols', String(Math.max(1, Math.floor(size.cols)))];
  const terminal = findChildTerminal(child.pid);
  if (terminal) await run('stty', ['-F', terminal.path, ...dimensions]);
  const inner = findContainerTerminal(child.pid, terminal?.fd);
  if (inner) await run('stty', ['-F', inner, ...dimensions]).catch(() => undefined);
}

/** Single-quotes a word for /bin/sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The pseudo-terminal (/dev/pts/N) a child of `script` (pid) has as its standard input, and that fd. */
function findChildTerminal(pid: number): { path: string; fd: string } | undefined {
  for (const childPid of childPids(pid)) {
    try {
      const fd = `/proc/${childPid}/fd/0`;
      const stdin = readlinkSync(fd);
      if (stdin.startsWith('/dev/pts/')) return { path: stdin, fd };
    } catch {
      // The exec ended meanwhile: nothing to resize.
    }
  }
  return undefined;
}

function childPids(pid: number): number[] {
  const pids: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      pids.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    // Gone meanwhile.
  }
  return pids;
}

/** Which terminal an fd is: the devpts instance and the device, since each container has its own /dev/pts/0. */
function terminalIdentity(fdPath: string): string | undefined {
  try {
    if (!readlinkSync(fdPath).startsWith('/dev/pts/')) return undefined;
    const info = statSync(fdPath);
    return `${info.dev}:${info.rdev}`;
  } catch {
    return undefined;
  }
}

/** /proc/<pid>/fd/0 of the first descendant of `pid` whose stdin is a terminal other than the one at `outerFd`. */
function findContainerTerminal(pid: number, outerFd: string | undefined, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const outer = outerFd ? terminalIdentity(outerFd) : undefined;
  for (const childPid of childPids(pid)) {
    const identity = terminalIdentity(`/proc/${childPid}/fd/0`);
    if (identity && identity !== outer && depth > 0) return `/proc/${childPid}/fd/0`;
    const found = findContainerTerminal(childPid, outerFd, depth + 1);
    if (found) return found;
  }
  return undefined;
}
