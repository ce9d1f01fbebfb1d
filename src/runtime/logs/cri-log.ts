// Container logs in the CRI format the kubelet and `kubectl logs` read:
//   2024-01-01T00:00:00.123456789Z stdout F a whole line
//   2024-01-01T00:00:00.123456789Z stderr P the first part of a longer line
// A line longer than the buffer limit is cut into P (partial) records ending with an F record.
// Files rotate by size: <path> → <path>.1 … <path>.<maxFiles-1>, as the kubelet's rotation names them.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';

export type LogStream = 'stdout' | 'stderr';

/** containerd's maximum bytes of one log record before a line is split into partials. */
export const maxLogLineBytes = 16 * 1024;
/** The kubelet's containerLogMaxSize and containerLogMaxFiles defaults. */
export const defaultLogMaxBytes = 10 * 1024 * 1024;
export const defaultLogMaxFiles = 5;
/** Records kept in memory while a log file rotates. */
export const heldRecordsMax = 10_000;

let lastMs = 0;
let sub = 0;

/** RFC 3339 with nanoseconds; strictly increasing within a millisecond, so records sort. */
export function nanoTimestamp(now = Date.now()): string {
  if (now === lastMs) sub = Math.min(sub + 1, 999_999);
  else {
    lastMs = now;
    sub = 0;
  }
  const iso = new Date(now).toISOString();
  return `${iso.slice(0, 23)}${String(sub).padStart(6, '0')}Z`;
}

/** Splits a chunk stream into records, keeping an unterminated tail until more arrives. */
export class LineSplitter {
  private tail = Buffer.alloc(0);

  constructor(private readonly emit: (line: Buffer, partial: boolean) => void) {}

  push(chunk: Buffer): void {
    let data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    for (;;) {
      const newline = data.indexOf(0x0a);
      if (newline < 0) break;
      this.emitBounded(data.subarray(0, newline), false);
      data = data.subarray(newline + 1);
    }
    while (data.length >= maxLogLineBytes) {
      this.emit(data.subarray(0, maxLogLineBytes), true);
      data = data.subarray(maxLogLineBytes);
    }
    this.tail = Buffer.from(data);
  }

  /** At end of stream, an unterminated last line is written whole. */
  flush(): void {
    if (this.tail.length > 0) this.emit(this.tail, false);
    this.tail = Buffer.alloc(0);
  }

  private emitBounded(line: Buffer, partial: boolean): void {
    let rest = line;
    while (rest.length > maxLogLineBytes) {
      this.emit(rest.subarray(0, maxLogLineBytes), true);
      rest = rest.subarray(maxLogLineBytes);
    }
    this.emit(rest, partial);
  }
}

export interface CriLogWriterOptions {
  maxBytes?: number;
  maxFiles?: number;
}

/** Appends records for both streams of one container to one file, rotating it by size. */
export class CriLogWriter {
  private out: WriteStream;
  private size = 0;
  private held: Buffer[] = [];
  private rotating: Promise<void> | undefined;
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  private constructor(private readonly path: string, size: number, options: CriLogWriterOptions) {
    this.maxBytes = options.maxBytes ?? defaultLogMaxBytes;
    this.maxFiles = options.maxFiles ?? defaultLogMaxFiles;
    this.size = size;
    this.out = createWriteStream(path, { flags: 'a', mode: 0o640 });
  }

  static async open(path: string, options: CriLogWriterOptions = {}): Promise<CriLogWriter> {
    const size = await stat(path).then((s) => s.size, () => 0);
    return new CriLogWriter(path, size, options);
  }

  write(stream: LogStream, line: Buffer, partial: boolean): void {
    const record = Buffer.concat([Buffer.from(`${nanoTimestamp()} ${stream} ${partial ? 'P' : 'F'} `), line, Buffer.from('\n')]);
    this.size += record.length;
    if (this.rotating) {
      // Held while the files are renamed; a container that floods faster than that loses lines
      // beyond the limit rather than the node's memory.
      if (this.held.length < heldRecordsMax) this.held.push(record);
      return;
    }
    this.out.write(record);
    if (this.size >= this.maxBytes && !this.rotating) this.rotating = this.rotate().finally(() => (this.rotating = undefined));
  }

  /** Closes the current file and starts a new one (the CRI ReopenContainerLog after an outside rotation). */
  async reopen(): Promise<void> {
    await new Promise<void>((resolve) => this.out.end(resolve));
    this.size = await stat(this.path).then((s) => s.size, () => 0);
    this.out = createWriteStream(this.path, { flags: 'a', mode: 0o640 });
  }

  async close(): Promise<void> {
    await this.rotating;
    await new Promise<void>((resolve) => this.out.end(resolve));
  }

  private async rotate(): Promise<void> {
    const old = this.out;
    await new Promise<void>((resolve) => old.end(resolve));
    await rm(`${this.path}.${this.maxFiles - 1}`, { force: true });
    for (let i = this.maxFiles - 2; i >= 1; i--) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch(() => undefined);
    if (this.maxFiles > 1) await rename(this.path, `${this.path}.1`).catch(() => undefined);
    else await rm(this.path, { force: true });
    this.out = createWriteStream(this.path, { flags: 'a', mode: 0o640 });
    const held = this.held;
    this.held = [];
    this.size = held.reduce((sum, record) => sum + record.length, 0);
    for (const record of held) this.out.write(record);
  }
}

export interface CriLogRecord {
  time: string;
  stream: LogStream;
  partial: boolean;
  content: string;
}

/** Parses one record line; undefined for a malformed one. */
export function parseCriLogLine(line: string): CriLogRecord | undefined {
  const match = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s.exec(line);
  if (!match) return undefined;
  return { time: match[1]!, stream: match[2] as LogStream, partial: match[3] === 'P', content: match[4]! };
}
