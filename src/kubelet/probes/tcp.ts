// A tcpSocket probe: success when a TCP connection opens within the timeout.
import { connect } from 'node:net';

export function tcpCheck(host: string, port: number, timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean, output: string): void => {
      socket.destroy();
      resolve({ ok, output });
    };
    socket.setTimeout(timeoutMs, () => done(false, `dial tcp ${host}:${port}: i/o timeout`));
    socket.once('connect', () => done(true, ''));
    socket.once('error', (error: NodeJS.ErrnoException) => done(false, `dial tcp ${host}:${port}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`));
  });
}
