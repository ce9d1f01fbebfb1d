// Namespaces that outlive any process, so a pod's containers can join them without a "pause"
// container: the network namespace through `ip netns` (/var/run/netns/<name>, where CNI and
// tools expect it), IPC and UTS as files bind-mounted by `unshare --ipc=FILE --uts=FILE` into a
// directory k8ts makes a private mount (bind mounts of namespaces need non-shared propagation).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const netnsDir = '/var/run/netns';

function isMountPoint(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === path);
}

/** Makes `dir` a private bind mount of itself, once. */
export async function ensurePrivateMount(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (isMountPoint(dir)) return;
  await run('mount', ['--bind', dir, dir]);
  await run('mount', ['--make-private', dir]);
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
