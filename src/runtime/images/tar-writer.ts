// Writes tar archives as image layers are made of: ustar headers, with a pax extended header
// when a name, link name or size does not fit (as Docker and BuildKit write them). The caller
// gives entries in order; file content comes as chunks whose total must equal the header's size.
import type { TarEntryType } from './tar-reader.js';

const blockSize = 512;
const ustarNameMax = 100;
const ustarSizeMax = 0o77777777777;

export interface TarWriteHeader {
  name: string;
  type: Exclude<TarEntryType, 'other'>;
  mode: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtimeMs?: number;
  linkName?: string;
  devMajor?: number;
  devMinor?: number;
}

const typeFlag: Record<TarWriteHeader['type'], string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6' };

function octal(value: number, length: number): string {
  return `${Math.max(0, Math.floor(value)).toString(8).padStart(length - 1, '0')}\0`;
}

function headerBlock(fields: { name: string; mode: number; uid: number; gid: number; size: number; mtime: number; flag: string; linkName: string; devMajor: number; devMinor: number }): Buffer {
  const block = Buffer.alloc(blockSize);
  block.write(fields.name, 0, ustarNameMax, 'utf8');
  block.write(octal(fields.mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(fields.uid, 8), 108, 'ascii');
  block.write(octal(fields.gid, 8), 116, 'ascii');
  block.write(octal(Math.min(fields.size, ustarSizeMax), 12), 124, 'ascii');
  block.write(octal(fields.mtime, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(fields.flag, 156, 'ascii');
  block.write(fields.linkName, 157, ustarNameMax, 'utf8');
  block.write('ustar\x0000', 257, 'ascii');
  block.write(octal(fields.devMajor, 8), 329, 'ascii');
  block.write(octal(fields.devMinor, 8), 337, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

function paxRecord(key: string, value: string): string {
  // The length prefix counts itself, so find the fixed point.
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length = String(length).length + Buffer.byteLength(rest);
  return `${length}${rest}`;
}

function padding(size: number): Buffer {
  const rest = size % blockSize;
  return Buffer.alloc(rest === 0 ? 0 : blockSize - rest);
}

/** The header blocks (pax record first, when needed) for one entry. */
export function tarHeader(entry: TarWriteHeader): Buffer {
  const name = entry.type === 'directory' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const size = entry.type === 'file' ? entry.size ?? 0 : 0;
  const linkName = entry.linkName ?? '';
  const mtime = Math.floor((entry.mtimeMs ?? 0) / 1000);
  const pax: string[] = [];
  if (Buffer.byteLength(name) > ustarNameMax) pax.push(paxRecord('path', name));
  if (Buffer.byteLength(linkName) > ustarNameMax) pax.push(paxRecord('linkpath', linkName));
  if (size > ustarSizeMax) pax.push(paxRecord('size', String(size)));
  const main = headerBlock({ name: name.slice(0, ustarNameMax), mode: entry.mode, uid: entry.uid ?? 0, gid: entry.gid ?? 0, size, mtime, flag: typeFlag[entry.type], linkName: linkName.slice(0, ustarNameMax), devMajor: entry.devMajor ?? 0, devMinor: entry.devMinor ?? 0 });
  if (pax.length === 0) return main;
  const body = Buffer.from(pax.join(''));
  const paxHeader = headerBlock({ name: `PaxHeaders/${name}`.slice(0, ustarNameMax), mode: 0o644, uid: 0, gid: 0, size: body.length, mtime, flag: 'x', linkName: '', devMajor: 0, devMinor: 0 });
  return Buffer.concat([paxHeader, body, padding(body.length), main]);
}

export interface TarWriteEntry {
  header: TarWriteHeader;
  /** File content; its byte count must equal header.size. */
  content?: () => AsyncIterable<Buffer | Uint8Array>;
}

/** The archive: each entry's header and content, then two zero blocks. */
export async function* writeTar(entries: AsyncIterable<TarWriteEntry> | Iterable<TarWriteEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    yield tarHeader(entry.header);
    if (entry.header.type !== 'file') continue;
    const expected = entry.header.size ?? 0;
    let written = 0;
    if (entry.content) {
      for await (const chunk of entry.content()) {
        written += chunk.length;
        if (written > expected) throw new Error(`tar: ${entry.header.name} grew while it was archived`);
        yield Buffer.from(chunk);
      }
    }
    if (written !== expected) throw new Error(`tar: ${entry.header.name} changed size while it was archived (${written} of ${expected} bytes)`);
    yield padding(expected);
  }
  yield Buffer.alloc(blockSize * 2);
}
