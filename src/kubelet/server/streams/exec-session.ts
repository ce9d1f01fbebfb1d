// Joins one exec'd process to a client connection: stdin in, stdout and stderr out with
// backpressure, and when the process is done its exit status, then the close.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { exitStatus, internalErrorStatus } from './channel.js';
import type { StreamOptions } from './stream-options.js';
import type { TerminalSize } from './channel.js';
import type { OutputStream, StreamTransport } from './transport.js';

/** Runs until the process exits and its output is sent; resolves with the exit code. */
export function runExecSession(transport: StreamTransport, child: ChildProcess, options: StreamOptions, resize?: (size: TerminalSize) => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    transport.onStdinEnd(() => child.stdin?.end());
    transport.onStdin((data) => {
      if (options.stdin) child.stdin?.write(data);
    });
    // Terminal size changes reach the exec's terminal (the runtime passes them on to the container's).
    transport.onResize((size) => {
      if (options.tty && resize) void resize(size).catch(() => undefined);
    });
    child.stdin?.on('error', () => undefined);
    // Without stdin, a plain command gets EOF at once; a terminal would echo that EOF, so its
    // input stays open until the command is done.
    if (!options.stdin && !options.tty) child.stdin?.end();
    child.once('exit', () => child.stdin?.end());
    // A client that goes away takes its command with it, as a closed stream does upstream.
    transport.onClose(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    pump(child.stdout, options.stdout ? 'stdout' : undefined, transport);
    pump(child.stderr, options.stderr ? 'stderr' : options.tty ? 'stdout' : undefined, transport);
    child.once('error', (error) => {
      void transport.finish(internalErrorStatus(`error executing command in container: ${error.message}`));
      resolve(-1);
    });
    child.once('close', (code, signal) => {
      // A command killed by a signal reports 128+signal, as a shell does.
      const exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      void transport.finish(exitStatus(exitCode, options.command));
      resolve(exitCode);
    });
  });
}

/** Copies a process stream to the client, pausing the process while the connection is backed up. */
function pump(stream: Readable | null, target: OutputStream | undefined, transport: StreamTransport): void {
  if (!stream) return;
  stream.on('data', (chunk: Buffer) => {
    if (target === undefined) return;
    stream.pause();
    void transport.write(target, chunk).then(() => stream.resume());
  });
}

const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
function signalNumber(signal: string): number {
  return signals[signal] ?? 0;
}
