// The local volume plugin's mount: the PV's path bind-mounted at the pod's volume directory
// (read-only when the pod's claim says so), as upstream's local plugin does with mount -o bind.
import { execFileSync } from 'node:child_process';
import { mountsUnder } from './tmpfs.js';

export function bindMount(source: string, dir: string, readOnly: boolean): void {
  if (mountsUnder(dir).includes(dir)) return;
  execFileSync('mount', ['--bind', source, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A bind mount takes "ro" only on a remount.
  if (readOnly) execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}
