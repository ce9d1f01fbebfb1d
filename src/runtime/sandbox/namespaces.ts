// Namespaces that outlive any process, so a pod's containers can join them without a "pause"
// container: the network namespace through `ip netns` (/var/run/netns/<name>, where CNI and
// tools expect it), IPC and UTS as files bind-mounted by `unshare --ipc=FILE --uts=FILE` into a
// directory k8ts makes a private mount (bind mounts of namespaces need non-shared propagation).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../exec/run-command.js';

const run = (file: string, args: readonly string[]) => runCommand(file, args);

export const netnsDir = '/var/run/netns';
/** Debian's busybox-static (a k8ts dependency): PID 1 of shared PID namespaces. */
export const busyboxPath = '/bin/busybox';

function isMountPoint(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === path);
}

/** Directories this process made (or found) private mounts: mountinfo is read once per directory, not per pod. */
const privateMounts = new Set<string>();

/** Makes `dir` a private bind mount of itself, once. */
export async function ensurePrivateMount(dir: string): Promise<void> {
  if (privateMounts.has(dir) && existsSync(dir)) return;
  await mkdir(dir, { recursive: true });
  if (!isMountPoint(dir)) {
    await run('mount', ['--bind', dir, dir]);
    await run('mount', ['--make-private', dir]);
  }
  privateMounts.add(dir);
}

export async function createNetns(name: string): Promise<string> {
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return join(netnsDir, name);
}

export async function deleteNetns(name: string): Promise<void> {
  if (!existsSync(join(netnsDir, name))) return;
  await run('ip', ['netns', 'delete', name]);
}

/** New IPC and UTS namespaces pinned at <dir>/ipc and <dir>/uts, the UTS one with `hostname` set. */
export async function createIpcUts(nsRoot: string, id: string, hostname: string): Promise<{ ipcPath: string; utsPath: string }> {
  await ensurePrivateMount(nsRoot);
  const ipcPath = join(nsRoot, `${id}-ipc`);
  const utsPath = join(nsRoot, `${id}-uts`);
  writeFileSync(ipcPath, '');
  writeFileSync(utsPath, '');
  await run('unshare', [`--ipc=${ipcPath}`, `--uts=${utsPath}`, 'hostname', hostname]);
  return { ipcPath, utsPath };
}

export async function removeNamespaceFile(path: string | undefined): Promise<void> {
  if (!path || !existsSync(path)) return;
  await run('umount', [path]).catch(() => undefined);
  await rm(path, { force: true });
}

/** How long to wait for the PID namespace holder to be running. */
const pidHolderStartTimeoutMs = 5_000;

/**
 * A PID namespace for a pod whose containers share one (shareProcessNamespace), held by a tiny
 * init: `unshare --pid --fork` runs Debian's static busybox as PID 1 of the new namespace, in a
 * session of its own so it outlives the agent — the part of upstream's pause container k8ts needs.
 * Returns that init's host pid; containers join /proc/<pid>/ns/pid.
 */
export async function startPidNamespaceHolder(): Promise<number> {
  const child = spawn('unshare', ['--pid', '--fork', '--kill-child', busyboxPath, 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600; done'], { detached: true, stdio: 'ignore' });
  child.unref();
  const unsharePid = child.pid;
  if (!unsharePid) throw new Error('could not start the PID namespace holder');
  const deadline = Date.now() + pidHolderStartTimeoutMs;
  for (;;) {
    try {
      const init = Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/)[0]);
      // The forked child is PID 1 of the new namespace once it has exec'd busybox.
      if (init > 0 && readFileSync(`/proc/${init}/cmdline`, 'utf8').startsWith(busyboxPath)) return init;
    } catch {
      // Not forked yet.
    }
    if (Date.now() > deadline) throw new Error('the PID namespace holder did not start');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function stopPidNamespaceHolder(pid: number | undefined): void {
  if (!pid) return;
  try {
    // Its unshare parent (--kill-child) goes with it.
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
