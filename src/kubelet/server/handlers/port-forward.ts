// /portForward/{namespace}/{pod}?ports=…: the WebSocket port-forward protocol (portforward.k8s.io
// or v4.channel.k8s.io, as client-node speaks it). Port i has data channel 2i and error channel
// 2i+1; the first message the server sends on each is the port as two little-endian bytes. Each
// port gets one TCP connection to the pod IP for the WebSocket's lifetime.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BadRequestError, NotFoundError } from '../errors.js';
import { channelProtocolV4, decodeChannelMessage, encodeChannelMessage, negotiate } from '../streams/channel.js';
import type { PodContainerLocator } from '../types.js';
import { SpdySession } from '../spdy/session.js';
import { offeredProtocols, WebSocket } from '../websocket/connection.js';
import { spdyPortForwarder } from './port-forward-spdy.js';

/** kubectl 1.31+ tunnels SPDY inside the WebSocket under this subprotocol. */
export const spdyTunnelProtocol = 'SPDY/3.1+portforward.k8s.io';
export const portForwardProtocols = [spdyTunnelProtocol, 'portforward.k8s.io', channelProtocolV4] as const;
/** Ports one request may forward (channel ids are one byte: 2 per port). */
export const maxForwardedPorts = 127;

export function parsePorts(query: URLSearchParams): number[] {
  const texts = query.getAll('ports').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  if (texts.length === 0) throw new BadRequestError('query parameter "port" is required');
  if (texts.length > maxForwardedPorts) throw new BadRequestError(`at most ${maxForwardedPorts} ports may be forwarded at once`);
  return texts.map((text) => {
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BadRequestError(`unable to parse "${text}" as a port: port must be > 0 and < 65536`);
    return port;
  });
}

function portPrefix(port: number): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16LE(port, 0);
  return prefix;
}

/** Older kubectl: a plain SPDY/3.1 upgrade (X-Stream-Protocol-Version: portforward.k8s.io). */
export async function servePortForwardSpdy(request: IncomingMessage, socket: Duplex, head: Buffer, target: { namespace: string; pod: string }, locator: PodContainerLocator): Promise<void> {
  const offered = String(request.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes('portforward.k8s.io')) throw new BadRequestError(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [portforward.k8s.io]`);
  const ip = await locator.podIP(target.namespace, target.pod);
  if (!ip) throw new NotFoundError(`pod "${target.pod}" has no IP address yet`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
  const session = new SpdySession({ send: (data) => void socket.write(data), onStream: spdyPortForwarder(ip, target.pod), onClose: () => socket.end() });
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => session.close());
  if (head.length > 0) session.receive(head);
}

export async function servePortForward(request: IncomingMessage, socket: Duplex, head: Buffer, target: { namespace: string; pod: string }, locator: PodContainerLocator): Promise<void> {
  const query = new URL(request.url ?? '/', 'https://kubelet').searchParams;
  const protocol = negotiate(offeredProtocols(request), portForwardProtocols);
  if (!protocol) throw new BadRequestError(`unable to upgrade connection: none of the offered subprotocols [${offeredProtocols(request).join(' ')}] is supported; supported: [${portForwardProtocols.join(' ')}]`);
  // With SPDY the ports come in each stream's headers, not in the query.
  const ports = protocol === spdyTunnelProtocol ? [] : parsePorts(query);
  const ip = await locator.podIP(target.namespace, target.pod);
  if (!ip) throw new NotFoundError(`pod "${target.pod}" has no IP address yet`);
  const ws = WebSocket.accept(request, socket, head, protocol);
  if (protocol === spdyTunnelProtocol) {
    // Each WebSocket message carries a piece of the SPDY byte stream, in both directions.
    const session = new SpdySession({ send: (data) => void ws.send(data), onStream: spdyPortForwarder(ip, target.pod), onClose: () => ws.close(1000) });
    ws.on('message', (message) => session.receive(message));
    ws.on('close', () => session.close());
    return;
  }
  const connections: Socket[] = [];
  ports.forEach((port, index) => {
    const data = index * 2;
    const errors = data + 1;
    void ws.send(encodeChannelMessage(data, portPrefix(port)));
    void ws.send(encodeChannelMessage(errors, portPrefix(port)));
    const tcp = connect({ host: ip, port });
    connections[index] = tcp;
    tcp.on('data', (chunk: Buffer) => {
      tcp.pause();
      void ws.send(encodeChannelMessage(data, chunk)).then(() => tcp.resume());
    });
    tcp.on('error', (error) => {
      void ws.send(encodeChannelMessage(errors, Buffer.from(`error forwarding port ${port} to pod ${target.pod}, uid : ${error.message}`)));
    });
    tcp.on('close', () => ws.close(1000));
  });
  ws.on('message', (message) => {
    const decoded = decodeChannelMessage(message, ws.protocol);
    if (decoded.kind !== 'data' || decoded.channel % 2 !== 0) return;
    const tcp = connections[decoded.channel / 2];
    // The client's first message on a channel may be its own port prefix; client-node sends none.
    if (tcp && decoded.data.length > 0) tcp.write(decoded.data);
  });
  ws.on('close', () => {
    for (const tcp of connections) tcp.destroy();
  });
}
