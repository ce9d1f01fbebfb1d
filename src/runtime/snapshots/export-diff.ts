// A container's changes as an OCI layer: its overlayfs upper directory, with overlay's own
// whiteouts turned back into OCI ones (a 0/0 character device "name" → an empty ".wh.name";
// a directory with trusted.overlay.opaque=y → the directory plus ".wh..wh..opq"), as
// containerd's and Docker's diff of an overlay snapshot does. Mount points the OCI runtime
// made for the container (an empty /etc/hosts, /proc, /dev…) are not the container's changes.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TarWriteEntry } from '../images/tar-writer.js';
import { opaqueMarker, whiteoutPrefix } from './apply-layer.js';

const run = promisify(execFile);
/** getfattr's listing of a big upper directory; far beyond any build step's. */
const xattrListingMaxBytes = 64 << 20;

/** Paths runc and crun create as mount points when the image lacks them. */
const runtimeMountPoints = new Set(['proc', 'sys', 'dev', 'dev/pts', 'dev/shm', 'dev/mqueue', 'etc/hosts', 'etc/hostname', 'etc/resolv.conf', 'run/secrets']);

async function opaqueDirectories(upper: string): Promise<Set<string>> {
  const { stdout } = await run('getfattr', ['-R', '-P', '--absolute-names', '-n', 'trusted.overlay.opaque', upper], { maxBuffer: xattrListingMaxBytes }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const opaque = new Set<string>();
  let current = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# file: ')) current = line.slice('# file: '.length);
    else if (line.startsWith('trusted.overlay.opaque="y"')) opaque.add(current);
  }
  return opaque;
}

/** The entries of `upper` (lexical order, parents first) as layer tar entries. */
export async function exportDiff(upper: string): Promise<TarWriteEntry[]> {
  const opaque = await opaqueDirectories(upper);
  const seenInodes = new Map<string, string>();
  const walk = async (dir: string, prefix: string): Promise<TarWriteEntry[]> => {
    const out: TarWriteEntry[] = [];
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const info = await lstat(path);
      const base = { uid: info.uid, gid: info.gid, mtimeMs: info.mtimeMs, mode: info.mode & 0o7777 };
      if (info.isCharacterDevice() && info.rdev === 0) {
        out.push({ header: { ...base, name: `${prefix ? `${prefix}/` : ''}${whiteoutPrefix}${name}`, type: 'file', size: 0, mode: 0o644 } });
      } else if (info.isDirectory()) {
        const children = await walk(path, rel);
        if (runtimeMountPoints.has(rel) && children.length === 0) continue;
        out.push({ header: { ...base, name: rel, type: 'directory' } });
        if (opaque.has(path)) out.push({ header: { ...base, name: `${rel}/${opaqueMarker}`, type: 'file', size: 0, mode: 0o644 } });
        out.push(...children);
      } else if (info.isSymbolicLink()) {
        out.push({ header: { ...base, name: rel, type: 'symlink', linkName: await readlink(path) } });
      } else if (info.isFile()) {
        if (runtimeMountPoints.has(rel) && info.size === 0) continue;
        const inode = `${info.dev}:${info.ino}`;
        const first = info.nlink > 1 ? seenInodes.get(inode) : undefined;
        if (first) {
          out.push({ header: { ...base, name: rel, type: 'hardlink', linkName: first } });
          continue;
        }
        if (info.nlink > 1) seenInodes.set(inode, rel);
        out.push({ header: { ...base, name: rel, type: 'file', size: info.size }, content: () => createReadStream(path) });
      } else if (info.isFIFO()) {
        out.push({ header: { ...base, name: rel, type: 'fifo' } });
      } else if (info.isCharacterDevice() || info.isBlockDevice()) {
        out.push({ header: { ...base, name: rel, type: info.isCharacterDevice() ? 'char' : 'block', devMajor: Math.floor(info.rdev / 256), devMinor: info.rdev % 256 } });
      }
    }
    return out;
  };
  return walk(upper, '');
}
