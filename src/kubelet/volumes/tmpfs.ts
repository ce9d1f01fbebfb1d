// tmpfs for memory-backed volumes (emptyDir medium Memory, secrets, projected, downwardAPI):
// the kubelet owns pod volumes, as upstream's volume manager, so it mounts and unmounts them.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCommand } from '../../runtime/exec/run-command.js';

const run = (file: string, args: readonly string[]) => runCommand(file, args);

/** Mount points at or under a directory, deepest first (for unmounting). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** Whether dir is a mount point: its device differs from its parent's (cheaper than reading mountinfo, which grows with every pod). */
function isMountPoint(dir: string): boolean {
  return statSync(dir).dev !== statSync(dirname(dir)).dev;
}

export async function mountTmpfs(dir: string, sizeBytes?: bigint): Promise<void> {
  if (isMountPoint(dir)) return;
  const options = ['mode=0755', ...(sizeBytes && sizeBytes > 0n ? [`size=${sizeBytes}`] : [])].join(',');
  await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export function unmountAll(dir: string): void {
  for (const point of mountsUnder(dir)) {
    try {
      execFileSync('umount', [point], { stdio: 'ignore' });
    } catch {
      // Still busy (a container holds it): detach it; it goes when the last user does.
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    }
  }
}
