// tmpfs for memory-backed volumes (emptyDir medium Memory, secrets, projected, downwardAPI):
// the kubelet owns pod volumes, as upstream's volume manager, so it mounts and unmounts them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Mount points at or under a directory, deepest first (for unmounting). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

export function mountTmpfs(dir: string, sizeBytes?: bigint): void {
  if (mountsUnder(dir).includes(dir)) return;
  const options = ['mode=0755', ...(sizeBytes && sizeBytes > 0n ? [`size=${sizeBytes}`] : [])].join(',');
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
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
