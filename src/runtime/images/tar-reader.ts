// A streaming reader for the tar archives image layers are made of: POSIX ustar, pax extended
// headers (long names, sizes, mtimes, xattrs) and GNU long names, as Docker and OCI tools write
// them. Each entry's content must be consumed (or skipped) before the next entry is read.
import { ByteReader } from './byte-reader.js';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarHeader {
  /** Without a leading "./" or "/" and without a trailing slash. */
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  linkName: string;
  devMajor: number;
  devMinor: number;
  /** pax SCHILY.xattr.* records. */
  xattrs: Record<string, string>;
}

export interface TarEntry {
  header: TarHeader;
  /** The content, in chunks; must be fully read or skipped before asking for the next entry. */
  content(): AsyncGenerator<Buffer>;
  skip(): Promise<void>;
}

const blockSize = 512;
/** pax and GNU long-name records are small; anything bigger is a corrupt or hostile archive. */
export const tarMetadataRecordMaxBytes = 1 << 20;

const typeFlags: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'directory', '6': 'fifo',
};

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** Octal, or GNU base-256 for values that do not fit (high bit set). */
function numeric(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const digits = text(block, offset, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < blockSize; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === numeric(block, 148, 8);
}

/** "key=value" records, each "<length> <key>=<value>\n". */
export function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) throw new Error('tar: invalid pax record length');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return records;
}

export function cleanEntryName(name: string): string {
  let clean = name;
  while (clean.startsWith('./')) clean = clean.slice(2);
  clean = clean.replace(/^\/+/, '').replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

function padding(size: number): number {
  return (blockSize - (size % blockSize)) % blockSize;
}

export async function* readTar(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  let globalPax: Record<string, string> = {};
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await reader.read(blockSize);
    if (block.length < blockSize) return;
    if (block.every((byte) => byte === 0)) return;
    if (!checksumOk(block)) throw new Error('tar: header checksum mismatch');
    const flag = String.fromCharCode(block[156]!);
    const size = numeric(block, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > tarMetadataRecordMaxBytes) throw new Error(`tar: metadata record of ${size} bytes is over the ${tarMetadataRecordMaxBytes}-byte limit`);
      const data = await reader.read(size);
      await reader.skip(padding(size));
      if (flag === 'x') pax = { ...pax, ...parsePax(data) };
      else if (flag === 'g') globalPax = { ...globalPax, ...parsePax(data) };
      else if (flag === 'L') longName = text(data, 0, data.length);
      else longLink = text(data, 0, data.length);
      continue;
    }
    const records = { ...globalPax, ...pax };
    const prefix = block.subarray(257, 263).toString('ascii') === 'ustar\0' || block.subarray(257, 262).toString('ascii') === 'ustar' ? text(block, 345, 155) : '';
    const rawName = records.path ?? longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    const entrySize = records.size !== undefined ? Number(records.size) : size;
    const xattrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(records)) if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value;
    let type = typeFlags[flag] ?? 'other';
    if (type === 'file' && rawName.endsWith('/')) type = 'directory';
    const header: TarHeader = {
      name: cleanEntryName(rawName),
      type,
      mode: numeric(block, 100, 8) & 0o7777,
      uid: records.uid !== undefined ? Number(records.uid) : numeric(block, 108, 8),
      gid: records.gid !== undefined ? Number(records.gid) : numeric(block, 116, 8),
      size: type === 'file' ? entrySize : 0,
      mtimeMs: Math.round((records.mtime !== undefined ? Number(records.mtime) : numeric(block, 136, 12)) * 1000),
      linkName: records.linkpath ?? longLink ?? text(block, 157, 100),
      devMajor: numeric(block, 329, 8),
      devMinor: numeric(block, 337, 8),
      xattrs,
    };
    pax = {};
    longName = undefined;
    longLink = undefined;
    // Non-file entries may still carry data blocks (rare); they are skipped with the padding.
    let consumed = false;
    const dataBytes = entrySize;
    const entry: TarEntry = {
      header,
      async *content() {
        if (consumed) throw new Error('tar: entry content already read');
        consumed = true;
        yield* reader.chunks(dataBytes);
        await reader.skip(padding(dataBytes));
      },
      async skip() {
        if (consumed) return;
        consumed = true;
        await reader.skip(dataBytes + padding(dataBytes));
      },
    };
    yield entry;
    await entry.skip();
  }
}
