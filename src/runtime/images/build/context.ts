// The build context for COPY and ADD: sources (globs allowed) resolved inside the context
// directory with .dockerignore applied, turned into layer entries at their destination, and a
// digest of what they contain (names, modes, bytes) for the build cache.
import { createHash } from 'node:crypto';
import { createReadStream, realpathSync } from 'node:fs';
import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import { basename, join, posix, relative, sep } from 'node:path';
import type { TarWriteEntry, TarWriteHeader } from '../tar-writer.js';
import { globToRegExp, isIgnored, type IgnorePattern } from './dockerignore.js';

export class BuildContextError extends Error {}

export interface BuildContext {
  dir: string;
  ignore: IgnorePattern[];
}

export interface CopyOptions {
  /** Destination inside the image, already made absolute against WORKDIR. */
  dest: string;
  /** .dockerignore patterns, applied to what directory sources contain. */
  ignore?: readonly IgnorePattern[];
  chown?: { uid: number; gid: number };
}

interface Source {
  abs: string;
  rel: string;
}

const hasGlob = (text: string) => /[*?[]/.test(text);

/** Every path in the context (files and directories), relative, not ignored. */
async function walkContext(context: BuildContext, dir = context.dir, out: string[] = []): Promise<string[]> {
  for (const name of (await readdir(dir)).sort()) {
    const abs = join(dir, name);
    const rel = relative(context.dir, abs).split(sep).join('/');
    if (isIgnored(context.ignore, rel)) continue;
    out.push(rel);
    if ((await lstat(abs)).isDirectory()) await walkContext(context, abs, out);
  }
  return out;
}

export async function resolveSources(context: BuildContext, patterns: readonly string[]): Promise<Source[]> {
  const sources: Source[] = [];
  let all: string[] | undefined;
  for (const pattern of patterns) {
    const cleaned = posix.normalize(`/${pattern}`).slice(1);
    if (cleaned.startsWith('..')) throw new BuildContextError(`forbidden path outside the build context: ${pattern}`);
    if (cleaned === '' || cleaned === '.') {
      sources.push({ abs: context.dir, rel: '' });
      continue;
    }
    if (hasGlob(cleaned)) {
      all ??= await walkContext(context);
      const regex = globToRegExp(cleaned);
      const matches = all.filter((rel) => regex.test(rel));
      if (matches.length === 0) throw new BuildContextError(`COPY failed: no source files were specified (no match for ${pattern} in the build context)`);
      for (const rel of matches) sources.push({ abs: join(context.dir, rel), rel });
      continue;
    }
    const abs = join(context.dir, cleaned);
    const exists = await stat(abs).then(() => true, () => false);
    if (!exists || isIgnored(context.ignore, cleaned)) throw new BuildContextError(`COPY failed: file not found in build context or excluded by .dockerignore: stat ${cleaned}: file does not exist`);
    // A symlink given as a source is followed, but only to somewhere inside the context.
    const real = realpathSync(abs);
    const contextReal = realpathSync(context.dir);
    if (real !== contextReal && !real.startsWith(`${contextReal}${sep}`)) throw new BuildContextError(`forbidden path outside the build context: ${pattern} (${real})`);
    sources.push({ abs: real, rel: cleaned });
  }
  return sources;
}

/** Entries for each directory above `path` ("/a/b/c" → a, a/b), so the layer creates them. */
export function parentEntries(path: string): TarWriteEntry[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => ({ header: { name: parts.slice(0, i + 1).join('/'), type: 'directory', mode: 0o755, mtimeMs: Date.now() } }));
}

export interface CopyPlan {
  entries: TarWriteEntry[];
  /** sha256 over every entry's name, metadata and content: the cache key's share of COPY. */
  contentDigest: string;
}

/** COPY semantics: a directory's contents go into dest; files go to dest/<name> when dest is a directory. */
export async function planCopy(sources: readonly Source[], options: CopyOptions): Promise<CopyPlan> {
  const destIsDir = options.dest.endsWith('/') || sources.length > 1 || (sources.length === 1 && (await stat(sources[0]!.abs)).isDirectory());
  const dest = options.dest.replace(/\/+$/, '').replace(/^\/+/, '');
  const entries: TarWriteEntry[] = [...parentEntries(`/${dest}/x`).slice(0, destIsDir ? undefined : -1)];
  const hash = createHash('sha256');
  // Docker copies as root:root unless --chown says otherwise; the context's owners mean nothing in the image.
  const owner = options.chown ?? { uid: 0, gid: 0 };
  const add = async (abs: string, name: string, follow: boolean, rel: string): Promise<void> => {
    if (rel && options.ignore && isIgnored(options.ignore, rel)) return;
    const info = follow ? await stat(abs) : await lstat(abs);
    const base: Omit<TarWriteHeader, 'type'> = { name, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs, uid: owner.uid, gid: owner.gid };
    if (info.isDirectory()) {
      if (name) entries.push({ header: { ...base, type: 'directory' } });
      hash.update(`dir ${name} ${base.mode}\n`);
      for (const child of (await readdir(abs)).sort()) await add(join(abs, child), name ? `${name}/${child}` : child, false, rel ? `${rel}/${child}` : child);
    } else if (info.isSymbolicLink()) {
      const target = await readlink(abs);
      entries.push({ header: { ...base, type: 'symlink', linkName: target } });
      hash.update(`link ${name} ${target}\n`);
    } else if (info.isFile()) {
      const fileHash = createHash('sha256');
      for await (const chunk of createReadStream(abs)) fileHash.update(chunk as Buffer);
      entries.push({ header: { ...base, type: 'file', size: info.size }, content: () => createReadStream(abs) });
      hash.update(`file ${name} ${base.mode} ${info.size} ${fileHash.digest('hex')}\n`);
    }
  };
  for (const source of sources) {
    const info = await stat(source.abs);
    // The source itself was checked against .dockerignore when it was resolved.
    if (info.isDirectory()) await add(source.abs, dest, true, source.rel);
    else await add(source.abs, destIsDir ? (dest ? `${dest}/${basename(source.abs)}` : basename(source.abs)) : dest, true, source.rel);
  }
  if (options.chown) hash.update(`chown ${options.chown.uid}:${options.chown.gid}\n`);
  return { entries, contentDigest: `sha256:${hash.digest('hex')}` };
}

/** The absolute destination: relative ones are under WORKDIR; a trailing slash is kept. */
export function destinationPath(dest: string, workdir: string): string {
  const absolute = dest.startsWith('/') ? dest : posix.join(workdir || '/', dest);
  const normalized = posix.normalize(absolute);
  return dest.endsWith('/') || dest === '.' || dest.endsWith('/.') ? `${normalized.replace(/\/+$/, '')}/` : normalized;
}
