// Upstream's AtomicWriter (pkg/volume/util/atomic_writer.go): a volume's files are written into
// a fresh timestamped directory, `..data` is swapped to it with one rename, and each top-level
// name is a symlink through `..data`; so a reader sees the whole old set or the whole new one.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

const dataLink = '..data';
const tmpDataLink = '..data_tmp';

export class PayloadPathError extends Error {}

/** Relative, no `..` element, not starting with `..` (the writer's own names). */
export function validatePath(path: string): void {
  if (path === '' || path.startsWith('/')) throw new PayloadPathError(`invalid path: must be relative path: ${path}`);
  if (path.split('/').includes('..')) throw new PayloadPathError(`invalid path: must not contain '..': ${path}`);
  if (path.startsWith('..')) throw new PayloadPathError(`invalid path: must not start with '..': ${path}`);
}

function timestampedName(nowMs: number): string {
  const d = new Date(nowMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${randomBytes(5).readUInt32BE(0)}`;
}

function unchanged(dir: string, payload: ReadonlyMap<string, FileProjection>): boolean {
  const listed = new Set<string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else listed.add(path);
    }
  };
  walk('');
  if (listed.size !== payload.size) return false;
  for (const [path, file] of payload) {
    if (!listed.has(path)) return false;
    const full = join(dir, path);
    if ((statSync(full).mode & 0o7777) !== file.mode || !readFileSync(full).equals(file.data)) return false;
  }
  return true;
}

/** Writes the payload into targetDir; returns false when it already held exactly this. */
export function writeAtomic(targetDir: string, payload: ReadonlyMap<string, FileProjection>, nowMs = Date.now()): boolean {
  for (const path of payload.keys()) validatePath(path);
  mkdirSync(targetDir, { recursive: true });
  const link = join(targetDir, dataLink);
  let oldDir: string | undefined;
  try {
    oldDir = readlinkSync(link);
  } catch {
    oldDir = undefined;
  }
  if (oldDir && existsSync(join(targetDir, oldDir)) && unchanged(join(targetDir, oldDir), payload)) return false;
  const oldTopLevel = oldDir && existsSync(join(targetDir, oldDir)) ? new Set(readdirSync(join(targetDir, oldDir))) : new Set<string>();

  const newDir = timestampedName(nowMs);
  mkdirSync(join(targetDir, newDir), { mode: 0o755 });
  for (const [path, file] of payload) {
    const full = join(targetDir, newDir, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, file.data, { mode: file.mode });
    chmodSync(full, file.mode);
  }
  rmSync(join(targetDir, tmpDataLink), { force: true });
  symlinkSync(newDir, join(targetDir, tmpDataLink));
  renameSync(join(targetDir, tmpDataLink), link);

  const newTopLevel = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const name of newTopLevel) {
    const visible = join(targetDir, name);
    if (!isSymlink(visible)) symlinkSync(join(dataLink, name), visible);
  }
  for (const name of oldTopLevel) if (!newTopLevel.has(name)) rmSync(join(targetDir, name), { force: true });
  if (oldDir && oldDir !== newDir) rmSync(join(targetDir, oldDir), { recursive: true, force: true });
  return true;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
