// pods/exec, pods/attach, pods/portforward and nodes/proxy upgrade requests: after the API
// server's checks, the request goes to the kubelet over TLS and the two connections are joined
// byte for byte, so whatever the client and kubelet agree on (WebSocket channel protocols, the
// kubelet's own errors) passes through, as upstream's UpgradeAwareHandler does.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, methodNotSupported, StatusError } from '../../api/errors.js';
import type { ServerServices } from '../handlers/context.js';
import type { ResourceRequest } from '../http/request-info.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { toStatusError } from '../http/respond.js';
import { hostPort, type KubeletAddress } from './kubelet-address.js';
import { dialKubelet } from './kubelet-client.js';
import { assignedNode, kubeletTls, nodeKubelet, podOf } from './locate.js';
import { resolveContainerName } from './pod-container.js';

export interface UpgradeContext {
  services: ServerServices;
  request: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  info: ResourceRequest;
  query: URLSearchParams;
  /** The pods store (for pods/* requests). */
  pods: ResourceStore | undefined;
}

/** Headers the API server consumed itself and does not pass on to the kubelet. */
const droppedHeaders = new Set(['host', 'authorization', 'proxy-authorization', 'impersonate-user', 'impersonate-group', 'impersonate-uid']);

export function isKubeletUpgrade(info: ResourceRequest): boolean {
  if (info.group !== '' || !info.name) return false;
  if (info.resource === 'pods') return ['exec', 'attach', 'portforward'].includes(info.subresource);
  return info.resource === 'nodes' && info.subresource === 'proxy';
}

/** The kubelet and the path on it that serve this request. */
async function target(ctx: UpgradeContext): Promise<{ address: KubeletAddress; path: string }> {
  const { info, query } = ctx;
  const forward = new URLSearchParams(query);
  if (info.resource === 'nodes') {
    // nodes/proxy names the node, optionally with a port: "node-1:10250".
    const nodeName = info.name.replace(/:\d+$/, '');
    const address = await nodeKubelet(ctx.services, nodeName);
    return { address, path: `/${info.rest.map(encodeURIComponent).join('/')}${forward.size ? `?${forward}` : ''}` };
  }
  if (!ctx.pods) throw methodNotSupported({ group: '', resource: `pods/${info.subresource}` }, info.verb);
  const pod = await podOf(ctx.pods, info.namespace, info.name);
  const address = await nodeKubelet(ctx.services, assignedNode(pod));
  const ns = encodeURIComponent(info.namespace);
  const name = encodeURIComponent(info.name);
  if (info.subresource === 'portforward') return { address, path: `/portForward/${ns}/${name}${forward.size ? `?${forward}` : ''}` };
  const container = resolveContainerName(pod, query.get('container'));
  forward.delete('container');
  if (info.subresource === 'exec' && forward.getAll('command').length === 0) throw badRequest('you must specify a command');
  const kind = info.subresource === 'exec' ? 'exec' : 'attach';
  return { address, path: `/${kind}/${ns}/${name}/${encodeURIComponent(container)}${forward.size ? `?${forward}` : ''}` };
}

export async function handleKubeletUpgrade(ctx: UpgradeContext): Promise<void> {
  const { request, socket, head } = ctx;
  let backend: Duplex;
  try {
    const { address, path } = await target(ctx);
    backend = await dialKubelet(address, kubeletTls(ctx.services));
    const lines = [`${request.method ?? 'GET'} ${path} HTTP/1.1`, `Host: ${hostPort(address)}`];
    const raw = request.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!droppedHeaders.has(raw[i]!.toLowerCase())) lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
    backend.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) backend.write(head);
  } catch (error) {
    writeStatus(socket, error);
    return;
  }
  backend.on('error', () => socket.destroy());
  socket.on('error', () => backend.destroy());
  backend.pipe(socket);
  socket.pipe(backend);
  await new Promise<void>((resolve) => {
    socket.once('close', () => {
      backend.destroy();
      resolve();
    });
    backend.once('close', () => {
      socket.end();
      resolve();
    });
  });
}

/** An error before the connection was joined: a Status answer on the raw socket. */
export function writeStatus(socket: Duplex, error: unknown): void {
  const status = toStatusError(error);
  if (!(error instanceof StatusError)) process.stderr.write(`k8ts apiserver: upgrade: ${(error as Error).stack ?? String(error)}\n`);
  const body = JSON.stringify(status.toStatus());
  socket.end(`HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
