// Joins one exec'd process to a WebSocket speaking the v4/v5 channel protocol: stdin from channel
// 0, stdout and stderr to channels 1 and 2 with backpressure, and when the process is done the
// exit status on channel 3, then the close.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { WebSocket } from '../websocket/connection.js';
import { channel, decodeChannelMessage, encodeChannelMessage, exitStatus, internalErrorStatus, parseResize, type TerminalSize } from './channel.js';
import type { StreamOptions } from './stream-options.js';

export interface StreamSessionHooks {
  /** A TTY resize from the client; ignored when the runtime cannot resize. */
  onResize?(size: TerminalSize): void;
}

/** Runs until the process exits and its output is sent; resolves with the exit code. */
export function runExecSession(ws: WebSocket, child: ChildProcess, options: StreamOptions, hooks: StreamSessionHooks = {}): Promise<number> {
  return new Promise((resolve) => {
    ws.on('message', (message) => {
      const decoded = decodeChannelMessage(message, ws.protocol);
      if (decoded.kind === 'close' && decoded.channel === channel.stdin) child.stdin?.end();
      if (decoded.kind !== 'data') return;
      if (decoded.channel === channel.stdin && options.stdin) child.stdin?.write(decoded.data);
      if (decoded.channel === channel.resize) {
        const size = parseResize(decoded.data);
        if (size) hooks.onResize?.(size);
      }
    });
    child.stdin?.on('error', () => undefined);
    if (!options.stdin) child.stdin?.end();
    // A client that goes away takes its command with it, as a closed SPDY stream does upstream.
    ws.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    pump(child.stdout, options.stdout ? channel.stdout : undefined, ws);
    pump(child.stderr, options.stderr ? channel.stderr : options.tty ? channel.stdout : undefined, ws);
    child.once('error', (error) => {
      void ws.send(encodeChannelMessage(channel.error, Buffer.from(JSON.stringify(internalErrorStatus(`error executing command in container: ${error.message}`)))));
      ws.close(1000);
      resolve(-1);
    });
    child.once('close', (code, signal) => {
      // A command killed by a signal reports 128+signal, as a shell does.
      const exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      void ws.send(encodeChannelMessage(channel.error, Buffer.from(JSON.stringify(exitStatus(exitCode, options.command)))));
      ws.close(1000);
      resolve(exitCode);
    });
  });
}

/** Copies a process stream to a channel, pausing the process while the socket is backed up. */
function pump(stream: Readable | null, id: number | undefined, ws: WebSocket): void {
  if (!stream) return;
  stream.on('data', (chunk: Buffer) => {
    if (id === undefined) return;
    const sent = ws.send(encodeChannelMessage(id, chunk));
    stream.pause();
    void sent.then(() => stream.resume());
  });
}

const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
function signalNumber(signal: string): number {
  return signals[signal] ?? 0;
}
