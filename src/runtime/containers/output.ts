// A running container's stdout and stderr FIFOs, read into its CRI log (and handed to attached
// clients as they arrive) until the container's last writer is gone.
import { join } from 'node:path';
import { LineSplitter, type CriLogWriter, type LogStream } from '../logs/cri-log.js';
import { openFifoReader } from './fifo.js';

export interface OutputPump {
  /** Destroying them stops reading; output then waits in the pipes for the next reader. */
  readers: { destroy(): void }[];
  /** Resolves when both streams have ended (the container is gone) or were destroyed. */
  done: Promise<void>;
}

export function pumpOutput(containerDir: string, writer: CriLogWriter, onChunk: (stream: LogStream, chunk: Buffer) => void): OutputPump {
  const readers: { destroy(): void }[] = [];
  const pump = (stream: LogStream): Promise<void> =>
    new Promise((resolve) => {
      const socket = openFifoReader(join(containerDir, stream));
      readers.push(socket);
      const splitter = new LineSplitter((line, partial) => writer.write(stream, line, partial));
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        splitter.flush();
        socket.destroy();
        resolve();
      };
      socket.on('data', (chunk: Buffer) => {
        splitter.push(chunk);
        onChunk(stream, chunk);
      });
      // A read-only socket on a pipe may end without closing by itself: close it at 'end'.
      socket.on('end', finish);
      socket.on('error', finish);
      socket.on('close', finish);
    });
  return { readers, done: Promise.all([pump('stdout'), pump('stderr')]).then(() => undefined) };
}
