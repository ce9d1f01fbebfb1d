// The portforward.k8s.io protocol over SPDY (kubectl's): for each local connection the client
// opens an error stream and a data stream with the same requestid and port headers; once both
// are there the kubelet connects to the pod IP and copies bytes between the data stream and the
// connection, writing any failure to the error stream.
import { connect } from 'node:net';
import type { SpdyStream } from '../spdy/session.js';

/** Half-open pairs (one stream still missing) kept per session. */
export const maxPendingStreamPairs = 512;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
}

export function spdyPortForwarder(podIP: string, podName: string): (stream: SpdyStream) => void {
  const pending = new Map<string, Pair>();
  return (stream) => {
    const requestId = stream.headers.requestid ?? '';
    const type = stream.headers.streamtype;
    const port = Number(stream.headers.port);
    if ((type !== 'data' && type !== 'error') || !Number.isInteger(port) || port < 1 || port > 65535) {
      stream.cancel();
      return;
    }
    const pair = pending.get(requestId) ?? {};
    pair[type] = stream;
    if (!pair.data || !pair.error) {
      if (pending.size >= maxPendingStreamPairs) {
        stream.cancel();
        return;
      }
      pending.set(requestId, pair);
      return;
    }
    pending.delete(requestId);
    forward(pair.data, pair.error, podIP, port, podName);
  };
}

function forward(data: SpdyStream, errors: SpdyStream, podIP: string, port: number, podName: string): void {
  const tcp = connect({ host: podIP, port });
  data.on('data', (chunk) => tcp.write(chunk));
  data.on('end', () => tcp.end());
  data.on('close', () => tcp.destroy());
  tcp.on('data', (chunk: Buffer) => data.write(chunk));
  tcp.on('error', (error) => {
    errors.write(Buffer.from(`error forwarding port ${port} to pod ${podName}, uid : ${error.message}`));
  });
  tcp.on('close', () => {
    errors.end();
    data.end();
  });
}
