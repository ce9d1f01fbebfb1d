// /attach/{namespace}/{pod}/{container}: the container's output from now on, by stream, until it
// exits. The runtime keeps a container's output only in its log file (it has no attachable
// stdio), so attach follows that file; stdin is accepted and dropped.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Writable } from 'node:stream';
import { parseCriLogLine } from '../../../runtime/logs/cri-log.js';
import { readContainerLog } from '../logs/log-reader.js';
import { exitStatus } from '../streams/channel.js';
import type { PodContainerLocator } from '../types.js';
import { acceptStream, type StreamTarget } from './exec.js';

export async function serveAttach(request: IncomingMessage, socket: Duplex, head: Buffer, target: StreamTarget, locator: PodContainerLocator): Promise<void> {
  const { transport, options, found } = await acceptStream(request, socket, head, false, target, locator);
  const abort = new AbortController();
  transport.onClose(() => abort.abort());
  // The runtime gives containers no attachable stdin: what the client types is read and dropped.
  transport.onStdin(() => undefined);
  // Raw CRI lines (timestamps kept) so that each record can go to its own stream's channel.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const record = parseCriLogLine(chunk.toString('utf8').replace(/\n$/, ''));
      if (!record) return callback();
      const target = record.stream === 'stderr' && options.stderr ? 'stderr' : options.stdout ? 'stdout' : undefined;
      if (target === undefined) return callback();
      void transport.write(target, Buffer.from(record.content + (record.partial ? '' : '\n'))).then(() => callback());
    },
  });
  await readContainerLog(found.logPath, { follow: true, previous: false, timestamps: false, tailLines: 0 }, sink, {
    isRunning: () => locator.isRunning(found.containerId),
    signal: abort.signal,
    raw: true,
  });
  if (transport.closed) return;
  await transport.finish(exitStatus(0, []));
}
