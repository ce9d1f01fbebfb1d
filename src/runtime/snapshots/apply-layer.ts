// Unpacks one image layer (a tar stream) into its own directory, ready to be an overlayfs lower
// layer: OCI whiteouts become overlayfs ones (".wh.name" → a 0/0 character device "name";
// ".wh..wh..opq" → the directory's trusted.overlay.opaque=y xattr), as containerd's overlay
// snapshotter does. Every path is checked to stay inside the layer directory: entries with ".."
// and writes through symlinks the archive itself created are refused.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { readTar, type TarHeader } from '../images/tar-reader.js';

const run = promisify(execFile);

export const whiteoutPrefix = '.wh.';
export const opaqueMarker = '.wh..wh..opq';

export interface ApplyLayerResult {
  entries: number;
  /** Bytes of file content written. */
  bytes: number;
}

export class UnsafeLayerError extends Error {}

/** Splits an entry name into safe components; refuses absolute paths and "..". */
export function safeComponents(name: string): string[] {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw new UnsafeLayerError(`layer entry "${name}" leaves the layer`);
  return parts;
}

/** Makes every parent directory of `parts` under root, refusing to go through a symlink. */
async function ensureParents(root: string, parts: readonly string[], known: Set<string>): Promise<string> {
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = join(current, part);
    if (known.has(current)) continue;
    const info = await lstat(current).catch(() => undefined);
    if (!info) await mkdir(current, { mode: 0o755 });
    else if (info.isSymbolicLink()) throw new UnsafeLayerError(`layer entry goes through the symlink ${current.slice(root.length + 1)}`);
    else if (!info.isDirectory()) throw new UnsafeLayerError(`layer entry's parent ${current.slice(root.length + 1)} is not a directory`);
    known.add(current);
  }
  return join(root, ...parts);
}

async function removeExisting(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info && !(info.isDirectory())) await rm(path, { force: true });
}

async function setOwnerAndTimes(path: string, header: TarHeader, isSymlink: boolean): Promise<void> {
  await lchown(path, header.uid, header.gid).catch(() => undefined);
  const seconds = header.mtimeMs / 1000;
  if (isSymlink) await lutimes(path, seconds, seconds).catch(() => undefined);
  else await utimes(path, seconds, seconds);
}

export async function applyLayer(root: string, tar: AsyncIterable<Buffer | Uint8Array>): Promise<ApplyLayerResult> {
  await mkdir(root, { recursive: true });
  const knownDirs = new Set<string>();
  // Directory times are set last: creating children would move them again.
  const directories: { path: string; header: TarHeader }[] = [];
  let entries = 0;
  let bytes = 0;
  for await (const entry of readTar(tar)) {
    entries++;
    const { header } = entry;
    const parts = safeComponents(header.name);
    if (parts.length === 0) continue;
    const base = parts[parts.length - 1]!;
    const path = await ensureParents(root, parts, knownDirs);
    if (base === opaqueMarker) {
      await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', dirname(path)]);
      continue;
    }
    if (base.startsWith(whiteoutPrefix)) {
      const hidden = join(dirname(path), base.slice(whiteoutPrefix.length));
      await rm(hidden, { recursive: true, force: true });
      await run('mknod', [hidden, 'c', '0', '0']);
      continue;
    }
    switch (header.type) {
      case 'directory': {
        const info = await lstat(path).catch(() => undefined);
        if (info && !info.isDirectory()) await rm(path, { force: true });
        if (!info?.isDirectory()) await mkdir(path);
        knownDirs.add(path);
        await chmod(path, header.mode);
        await lchown(path, header.uid, header.gid).catch(() => undefined);
        directories.push({ path, header });
        break;
      }
      case 'file': {
        await removeExisting(path);
        await pipeline(Readable.from(entry.content()), createWriteStream(path, { mode: header.mode }));
        bytes += header.size;
        await chmod(path, header.mode);
        await setOwnerAndTimes(path, header, false);
        break;
      }
      case 'symlink':
        await removeExisting(path);
        await symlink(header.linkName, path);
        await setOwnerAndTimes(path, header, true);
        break;
      case 'hardlink': {
        const target = join(root, ...safeComponents(header.linkName));
        await removeExisting(path);
        await link(target, path);
        break;
      }
      case 'char':
      case 'block':
      case 'fifo': {
        await removeExisting(path);
        const kind = header.type === 'char' ? ['c', String(header.devMajor), String(header.devMinor)] : header.type === 'block' ? ['b', String(header.devMajor), String(header.devMinor)] : ['p'];
        await run('mknod', ['-m', header.mode.toString(8), path, ...kind]);
        await setOwnerAndTimes(path, header, false);
        break;
      }
      default:
        break;
    }
  }
  for (const { path, header } of directories.reverse()) await utimes(path, header.mtimeMs / 1000, header.mtimeMs / 1000);
  return { entries, bytes };
}
