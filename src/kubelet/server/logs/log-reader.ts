// Reads one container's CRI log file into a writable, as the kubelet's ReadLogs: from the start
// or the last tailLines lines, and with follow keeps reading as the file grows, moves to the new
// file when the runtime rotates it, and ends once the container has stopped and its file is drained.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { LogOptions } from './log-options.js';
import { LogFormatter } from './log-format.js';

/** Bytes read from the file at a time. */
export const readChunkBytes = 64 * 1024;
/** A file line longer than this is cut (the runtime splits records at 16 KiB, so only a damaged file has one). */
export const maxLineBytes = 1024 * 1024;
/** How often a followed file is checked for growth and rotation. */
export const followPollMs = 100;
/** How often a followed container is checked for having stopped (upstream: 5 s; faster here). */
export const runningCheckMs = 1_000;

export interface FollowHooks {
  /** False once the container has exited; a follow then drains the file and ends. */
  isRunning(): Promise<boolean>;
  signal?: AbortSignal;
  /** Called once the file is open, before any output: the HTTP handler sends its headers then. */
  onOpen?(): void;
  /** Pass each file line through as is (with its newline), one write per line: attach splits them by stream. */
  raw?: boolean;
}

/** Byte offset where the last `lines` lines of the file start. */
export async function tailOffset(file: FileHandle, size: number, lines: number): Promise<number> {
  if (lines <= 0) return size;
  let position = size;
  let newlines = 0;
  const buffer = Buffer.alloc(readChunkBytes);
  // The file's last byte is the final line's newline, which does not start a line.
  let skipLast = true;
  while (position > 0) {
    const length = Math.min(readChunkBytes, position);
    position -= length;
    await file.read(buffer, 0, length, position);
    for (let i = length - 1; i >= 0; i--) {
      if (buffer[i] !== 0x0a) {
        skipLast = false;
        continue;
      }
      if (skipLast) {
        skipLast = false;
        continue;
      }
      newlines++;
      if (newlines === lines) return position + i + 1;
    }
  }
  return 0;
}

function write(out: Writable, data: Buffer): Promise<void> {
  if (data.length === 0 || out.destroyed) return Promise.resolve();
  if (out.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Streams the log at `path` into `out` per options; resolves when done (out is not ended). */
export async function readContainerLog(path: string, options: LogOptions, out: Writable, hooks: FollowHooks): Promise<void> {
  const formatter = new LogFormatter(options);
  let file = await open(path, 'r');
  hooks.onOpen?.();
  try {
    const { size } = await file.stat();
    let { ino } = await file.stat();
    let position = options.tailLines !== undefined ? await tailOffset(file, size, options.tailLines) : 0;
    let pending = Buffer.alloc(0);
    const buffer = Buffer.alloc(readChunkBytes);
    let lastRunningCheck = Date.now();
    let stopped = false;
    const stopRequested = (): boolean => formatter.done || out.destroyed || hooks.signal?.aborted === true;

    // Reads what is in the current file from `position` on; returns when it hits the end.
    const drain = async (): Promise<void> => {
      for (;;) {
        if (stopRequested()) return;
        const { bytesRead } = await file.read(buffer, 0, readChunkBytes, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        let data = pending.length ? Buffer.concat([pending, buffer.subarray(0, bytesRead)]) : Buffer.from(buffer.subarray(0, bytesRead));
        for (;;) {
          const newline = data.indexOf(0x0a);
          if (newline < 0) break;
          const line = data.subarray(0, newline + 1);
          await write(out, hooks.raw ? Buffer.from(line) : formatter.format(line.subarray(0, newline).toString('utf8')));
          data = data.subarray(newline + 1);
          if (stopRequested()) return;
        }
        if (data.length > maxLineBytes) data = data.subarray(data.length - maxLineBytes);
        pending = Buffer.from(data);
      }
    };

    await drain();
    if (!options.follow) return;
    for (;;) {
      if (stopRequested()) return;
      await drain();
      if (stopRequested()) return;
      const current = await stat(path).catch(() => undefined);
      if (current && current.ino !== ino) {
        // Rotated: what was written to the old file before the rename is drained above; go on
        // with the new file from its start.
        await drain();
        await file.close();
        file = await open(path, 'r');
        ({ ino } = await file.stat());
        position = 0;
        pending = Buffer.alloc(0);
        continue;
      }
      if (stopped) return;
      if (Date.now() - lastRunningCheck >= runningCheckMs) {
        lastRunningCheck = Date.now();
        // One more drain after seeing the container stopped picks up its last lines.
        if (!(await hooks.isRunning())) stopped = true;
        if (stopped) continue;
      }
      await sleep(followPollMs, hooks.signal);
    }
  } finally {
    await file.close().catch(() => undefined);
  }
}
