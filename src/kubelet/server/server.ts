// The kubelet's HTTPS server (upstream port 10250): it asks every client for a certificate
// chained to the cluster CA and serves only the API server's; then logs, exec, attach and
// port-forward for the pods of this node.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { KubeletHttpError } from './errors.js';
import { serveAttach } from './handlers/attach.js';
import { serveContainerLogs } from './handlers/container-logs.js';
import { serveExec } from './handlers/exec.js';
import { statsHandlers } from './handlers/stats.js';
import { servePortForward, servePortForwardSpdy } from './handlers/port-forward.js';
import { rejectUpgrade, unsupportedUpgrade } from './handlers/upgrade-response.js';
import { route } from './router.js';
import type { KubeletServer, KubeletServerOptions } from './types.js';
import { isWebSocketUpgrade } from './websocket/connection.js';

type Verdict = { ok: true } | { ok: false; statusCode: number; message: string };

/** Unauthenticated → 401, authenticated as someone else → 403, as the kubelet's authn/authz filters. */
function authorize(socket: TLSSocket, method: string, options: KubeletServerOptions): Verdict {
  if (!socket.authorized) return { ok: false, statusCode: 401, message: 'Unauthorized' };
  const cn = socket.getPeerCertificate()?.subject?.CN;
  const user = Array.isArray(cn) ? cn[0] : cn;
  if (options.authorizedClientCn && user !== options.authorizedClientCn) {
    const verb = method === 'GET' || method === 'HEAD' ? 'get' : 'create';
    return { ok: false, statusCode: 403, message: `Forbidden (user=${user ?? ''}, verb=${verb}, resource=nodes, subresource=proxy)` };
  }
  return { ok: true };
}

function sendText(response: ServerResponse, statusCode: number, text: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(statusCode, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function statusOf(error: unknown): { statusCode: number; message: string } {
  if (error instanceof KubeletHttpError) return { statusCode: error.statusCode, message: error.message };
  return { statusCode: 500, message: error instanceof Error ? error.message : String(error) };
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const { locator } = options;
  const stats = statsHandlers(locator, options.nodeName);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const verdict = authorize(request.socket as TLSSocket, request.method ?? 'GET', options);
    if (!verdict.ok) return sendText(response, verdict.statusCode, verdict.message);
    const url = new URL(request.url ?? '/', 'https://kubelet');
    const target = route(url.pathname);
    switch (target.kind) {
      case 'healthz':
        return sendText(response, 200, 'ok');
      case 'statsSummary':
        return stats.summary(response);
      case 'resourceMetrics':
        return stats.resourceMetrics(response);
      case 'containerLogs':
        return serveContainerLogs(response, target, url.searchParams, locator);
      case 'exec':
      case 'attach':
      case 'portForward':
        return sendText(response, 400, 'Upgrade request required');
      default:
        return sendText(response, 404, '404 page not found\n');
    }
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const verdict = authorize(request.socket as TLSSocket, request.method ?? 'GET', options);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.statusCode, verdict.message);
    const target = route(new URL(request.url ?? '/', 'https://kubelet').pathname);
    if (target.kind === 'portForward' && (request.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1') return servePortForwardSpdy(request, socket, head, target, locator);
    // exec and attach check the container before the protocol, so that a client falling back
    // from WebSocket to SPDY hears the same error twice rather than a protocol complaint.
    if (target.kind !== 'exec' && target.kind !== 'attach' && !isWebSocketUpgrade(request)) return rejectUpgrade(socket, 400, unsupportedUpgrade(request));
    switch (target.kind) {
      case 'exec':
        return serveExec(request, socket, head, target, locator);
      case 'attach':
        return serveAttach(request, socket, head, target, locator);
      case 'portForward':
        return servePortForward(request, socket, head, target, locator);
      default:
        return rejectUpgrade(socket, 404, '404 page not found');
    }
  };

  const server = createServer(
    {
      key: options.tls.keyPem,
      cert: options.tls.certPem,
      ca: options.clientCaPem,
      // Asked for but not required by TLS, so a caller without one gets a 401 answer.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        const { statusCode, message } = statusOf(error);
        if (statusCode >= 500) process.stderr.write(`k8ts kubelet server: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}\n`);
        sendText(response, statusCode, message);
      });
    },
  );
  // Upgraded connections leave the HTTP server's bookkeeping; close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    upgrade(request, socket, head).catch((error: unknown) => {
      const { statusCode, message } = statusOf(error);
      if (socket.writable) rejectUpgrade(socket, statusCode, message);
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    updateTls: (tls) => server.setSecureContext({ key: tls.keyPem, cert: tls.certPem, ca: options.clientCaPem, minVersion: 'TLSv1.2' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}
