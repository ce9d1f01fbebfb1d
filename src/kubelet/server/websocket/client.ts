// A minimal WebSocket client over HTTPS with a client certificate, for tests of the kubelet
// server and the API server's proxy (k8ts's components do not dial WebSockets themselves).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { request } from 'node:https';
import type { Socket } from 'node:net';
import { encodeMaskedFrame, FrameDecoder, opcode } from './frame.js';

export interface ClientTls {
  ca: string;
  cert?: string;
  key?: string;
}

export interface WebSocketClientEvents {
  message: [Buffer];
  close: [];
}

export class WebSocketClient extends EventEmitter<WebSocketClientEvents> {
  private readonly decoder = new FrameDecoder();
  private fragments: Buffer[] = [];

  constructor(readonly socket: Socket, readonly protocol: string, head: Buffer) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.emit('close'));
    socket.on('error', () => undefined);
    if (head.length) queueMicrotask(() => this.receive(head));
  }

  send(data: Buffer): void {
    this.socket.write(encodeMaskedFrame(opcode.binary, data));
  }

  close(): void {
    this.socket.write(encodeMaskedFrame(opcode.close, Buffer.from([0x03, 0xe8])));
    this.socket.end();
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.opcode === opcode.close) {
        this.socket.end();
        continue;
      }
      if (frame.opcode === opcode.ping || frame.opcode === opcode.pong) continue;
      this.fragments.push(frame.payload);
      if (!frame.fin) continue;
      const message = Buffer.concat(this.fragments);
      this.fragments = [];
      this.emit('message', message);
    }
  }
}

export class UpgradeFailedError extends Error {
  constructor(readonly statusCode: number, readonly body: string) {
    super(`upgrade failed with ${statusCode}: ${body}`);
  }
}

export function connectWebSocket(url: string, protocols: readonly string[], tls: ClientTls): Promise<WebSocketClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ...tls,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': protocols.join(', '),
      },
    });
    req.on('upgrade', (response, socket, head) => resolve(new WebSocketClient(socket, String(response.headers['sec-websocket-protocol'] ?? ''), head)));
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => reject(new UpgradeFailedError(response.statusCode ?? 0, body)));
    });
    req.on('error', reject);
    req.end();
  });
}
