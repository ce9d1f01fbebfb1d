// Upstream's SetVolumeOwnership (pkg/volume/volume_linux.go), for pod.spec.securityContext.fsGroup:
// every file and directory of the volume gets group fsGroup and g+rw (g+r when read-only), and
// directories also g+x and the setgid bit, so files created later inherit the group. Symlinks get
// the group only (chmod would follow them). fsGroupChangePolicy OnRootMismatch skips the walk when
// the volume's root already has the group, the permissions and setgid.
import { chmodSync, lchownSync, lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

const rwMask = 0o660;
const roMask = 0o440;
const execMask = 0o110;
const setgidBit = 0o2000;

export interface OwnershipOptions {
  fsGroup: number;
  /** The pod's fsGroupChangePolicy; Always when absent. */
  changePolicy?: string;
  readOnly?: boolean;
}

/** Upstream's requiresPermissionChange: the root's group, permissions or setgid are not yet right. */
export function requiresPermissionChange(root: string, fsGroup: number, readOnly: boolean): boolean {
  let stats: Stats;
  try {
    stats = statSync(root);
  } catch {
    return true;
  }
  if (stats.gid !== fsGroup || !stats.isDirectory()) return true;
  const wanted = (readOnly ? roMask : rwMask) | execMask;
  if ((stats.mode & wanted) !== wanted) return true;
  return (stats.mode & setgidBit) === 0;
}

function changeFilePermission(path: string, fsGroup: number, readOnly: boolean): void {
  const stats = lstatSync(path);
  lchownSync(path, -1, fsGroup);
  if (stats.isSymbolicLink()) return;
  let mask = readOnly ? roMask : rwMask;
  if (stats.isDirectory()) mask |= setgidBit | execMask;
  chmodSync(path, (stats.mode & 0o7777) | mask);
}

/** Walks the volume depth first without following symlinks (upstream's walkDeep). */
function walk(path: string, visit: (path: string) => void): void {
  const stats = lstatSync(path);
  if (stats.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), visit);
  visit(path);
}

export function setVolumeOwnership(dir: string, options: OwnershipOptions): void {
  const readOnly = options.readOnly ?? false;
  if (options.changePolicy === 'OnRootMismatch' && !requiresPermissionChange(dir, options.fsGroup, readOnly)) return;
  walk(dir, (path) => changeFilePermission(path, options.fsGroup, readOnly));
}
