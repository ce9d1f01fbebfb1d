// The API server's HTTPS front: TLS with client-certificate authentication always on, then
// non-resource paths (health, version, discovery, OpenAPI) or a resource handler. Components in
// the same process reach the same front over in-memory loopback connections (acceptLoopback).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import type { TLSSocket } from 'node:tls';
import { methodNotSupported, notFound, StatusError, unauthorized } from '../api/errors.js';
import { builtinResources } from '../api/resources/catalog.js';
import { buildApiGroup, buildApiResourceList, respondToDiscoveryRoot } from './discovery/index.js';
import type { Api } from './api.js';
import type { Endpoint, RequestContext, UserInfo } from './handlers/context.js';
import type { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { handleResource } from './handlers/resource.js';
import { handleKubeletUpgrade, isKubeletUpgrade, writeStatus } from './proxy/index.js';
import { answerHealth, type HealthCheck } from './health.js';
import { parseRequestInfo } from './http/request-info.js';
import { parseTarget } from './http/target.js';
import { sendError, sendJson, sendText } from './http/respond.js';
import { serveOpenApi } from './openapi/http.js';
import { serveThreadChannel, type ServedThreadChannel, type ThreadRequest, type ThreadResponse } from './thread-channel.js';
import { handleVirtual } from './virtual.js';
import { versionInfo } from './version.js';

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ApiServerOptions {
  api: Api;
  tls: TlsMaterial;
  /** host:port clients should use, for /api's serverAddressByClientCIDRs. */
  advertisedAddress: () => string;
  /** Readiness of the whole server (store open, bootstrap done); /readyz answers from it. */
  ready: () => boolean;
  /** Issues and authenticates service-account tokens (bearer tokens). */
  tokens?: ServiceAccountTokens;
  /** The apiserver-kubelet-client certificate: without it logs, exec, attach and port-forward answer 503. */
  kubeletClient?: { certPem: string; keyPem: string };
}

export interface ApiServer {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (watches are ended), then resolves. */
  close(): Promise<void>;
  /**
   * Serves one in-process connection (src/client/loopback.ts; the caller keeps the other end)
   * authenticated as `user`: components of `k8ts server` use these instead of HTTPS. Nothing
   * outside the process can open one. Throws ECONNREFUSED once the server is closing.
   */
  acceptLoopback(socket: Duplex, user: UserInfo): void;
  /**
   * Serves a worker thread's request channel (src/client/thread-channel.ts) authenticated as
   * `user`: the scheduler's thread inside `k8ts server` uses one. Requests on it are refused
   * (ECONNREFUSED) once the server is closing.
   */
  acceptThreadChannel(port: MessagePort, user: UserInfo): void;
}

/** Bearer tokens longer than this are not even parsed. */
const maxBearerTokenBytes = 16 * 1024;

/** Loopback connections and the user each was opened for. */
const loopbackUsers = new WeakMap<object, UserInfo>();

async function authenticate(request: IncomingMessage, tokens: ServiceAccountTokens | undefined): Promise<UserInfo | undefined> {
  const fromConnection = loopbackUsers.get(request.socket) ?? certificateUser(request);
  if (fromConnection) return fromConnection;
  const header = request.headers.authorization;
  if (tokens && header && header.length <= maxBearerTokenBytes && /^bearer /i.test(header)) return tokens.authenticate(header.slice(7).trim());
  return undefined;
}

/** A TLS connection's client certificate never changes: read it once per connection. */
const certificateUsers = new WeakMap<TLSSocket, UserInfo | null>();

function certificateUser(request: IncomingMessage): UserInfo | undefined {
  const socket = request.socket as TLSSocket;
  const known = certificateUsers.get(socket);
  if (known !== undefined) return known ?? undefined;
  const user = readCertificateUser(socket);
  certificateUsers.set(socket, user ?? null);
  return user;
}

function readCertificateUser(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const cn = cert.subject.CN;
  const o = cert.subject.O as string | string[] | undefined;
  const username = Array.isArray(cn) ? cn[0] : cn;
  if (!username) return undefined;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  return { username, groups };
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { api } = options;
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const kubeletClient = options.kubeletClient ? { caPem: options.tls.caPem, ...options.kubeletClient } : undefined;
  const services = { tokens: options.tokens, kubeletClient, storeFor: (group: string, resource: string) => api.storeFor(group, resource) };
  const liveChecks: HealthCheck[] = [{ name: 'ping', healthy: () => true }, { name: 'log', healthy: () => true }];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = parseTarget(request.url ?? '/');
    const path = url.pathname;
    // Health endpoints answer without credentials, as upstream allows for system:unauthenticated.
    const healthEndpoint = /^\/(livez|readyz|healthz)(\/|$)/.exec(path)?.[1] as 'livez' | 'readyz' | 'healthz' | undefined;
    if (healthEndpoint) {
      const checks = healthEndpoint === 'readyz' ? [...liveChecks, { name: 'shutdown', healthy: () => !closing }, { name: 'components', healthy: options.ready }] : liveChecks;
      return answerHealth(response, healthEndpoint, path, url.searchParams, checks);
    }
    const user = await authenticate(request, options.tokens);
    if (!user) throw unauthorized();
    if (path === '/version' || path === '/version/') return sendJson(response, 200, versionInfo());
    const openapi = serveOpenApi(path, url.searchParams, { accept: request.headers.accept, ifNoneMatch: request.headers['if-none-match'] });
    if (openapi) {
      response.writeHead(openapi.status, openapi.headers);
      response.end(openapi.body);
      return;
    }
    const info = parseRequestInfo(request.method ?? 'GET', path, url.searchParams);
    if (info.kind === 'nonresource') return handleNonResource(request, response, path);
    const endpoint = api.endpoint(info.group, info.version, info.resource) ?? virtualEndpoint(info.group, info.version, info.resource);
    if (!endpoint) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', { causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }] });
    if (info.namespace && !endpoint.info.namespaced && info.resource !== 'namespaces') throw notFound({ group: info.group, resource: info.resource }, info.name);
    const ctx: RequestContext = { services, request, response, query: url.searchParams, user, info, endpoint };
    if (api.isVirtual(info.group, info.resource)) return handleVirtual(ctx);
    return handleResource(ctx);
  };

  const virtualEndpoint = (group: string, version: string, resource: string): Endpoint | undefined => {
    if (!api.isVirtual(group, resource)) return undefined;
    const info = builtinResources.find((r) => r.group === group && r.version === version && r.resource === resource);
    const pods = api.endpoint('', 'v1', 'pods');
    if (!info || !pods) return undefined;
    return { ...pods, info, apiVersion: group ? `${group}/${version}` : version };
  };

  const handleNonResource = (request: IncomingMessage, response: ServerResponse, path: string): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotSupported({ group: '', resource: path }, request.method ?? '');
    const resources = api.resources();
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '/api' || trimmed === '/apis') {
      const answer = respondToDiscoveryRoot(resources, trimmed === '/api' ? 'api' : 'apis', request.headers.accept, options.advertisedAddress());
      response.setHeader('Vary', 'Accept');
      return sendJson(response, 200, answer.body, answer.contentType);
    }
    const parts = trimmed.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = buildApiResourceList(resources, '', parts[1]!);
      if (list) return sendJson(response, 200, list);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const group = buildApiGroup(resources, parts[1]!);
      if (group) return sendJson(response, 200, group);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = buildApiResourceList(resources, parts[1]!, parts[2]!);
      if (list) return sendJson(response, 200, list);
    }
    if (trimmed === '') {
      return sendJson(response, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    sendText(response, 404, '404 page not found\n');
  };

  const server = createServer(
    {
      key: options.tls.keyPem,
      cert: options.tls.certPem,
      ca: options.tls.caPem,
      // Ask for a client certificate but let the request through without one: it then gets a
      // 401 Status, as upstream answers anonymous requests, instead of a TLS failure.
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    (request, response) => {
      inFlight.add(response);
      response.on('close', () => inFlight.delete(response));
      handle(request, response).catch((error: unknown) => {
        if (!(error instanceof StatusError)) process.stderr.write(`k8ts apiserver: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}\n`);
        sendError(response, error);
      });
    },
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;

  // exec, attach, port-forward and nodes/proxy upgrades are joined to a kubelet connection (src/apiserver/proxy).
  const upgraded = new Set<Duplex>();
  const loopbackConnections = new Set<Duplex>();
  const threadChannels = new Set<ServedThreadChannel>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    const handleUpgrade = async (): Promise<void> => {
      const user = await authenticate(request, options.tokens);
      if (!user) throw unauthorized();
      const url = new URL(request.url ?? '/', 'https://k8ts');
      const info = parseRequestInfo(request.method ?? 'GET', url.pathname, url.searchParams);
      if (info.kind !== 'resource' || !isKubeletUpgrade(info)) throw new StatusError(400, 'BadRequest', `unable to upgrade: ${url.pathname} is not an upgradable resource`);
      await handleKubeletUpgrade({ services, request, socket, head, info, query: url.searchParams, pods: api.endpoint('', 'v1', 'pods')?.store });
    };
    handleUpgrade().catch((error: unknown) => writeStatus(socket, error));
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Watches never finish on their own: end them so their clients reconnect elsewhere.
      for (const response of inFlight) {
        if (response.getHeader('Transfer-Encoding') === 'chunked') response.end();
      }
      for (const socket of upgraded) socket.destroy();
      const deadline = setTimeout(() => {
        server.closeAllConnections();
        // A channel whose reader stopped reading would hold its ended watches forever.
        for (const channel of threadChannels) channel.close();
      }, 5_000);
      // server.close() counts only TCP connections; loopback ones and thread channels are waited for here.
      await Promise.all([
        closed,
        ...[...loopbackConnections].map((socket) => new Promise((resolve) => socket.once('close', resolve))),
        ...[...threadChannels].map((channel) => channel.idle()),
      ]);
      for (const channel of threadChannels) channel.close();
      clearTimeout(deadline);
    },
    acceptLoopback(socket, user) {
      if (closing) throw Object.assign(new Error('connect ECONNREFUSED: the API server is shutting down'), { code: 'ECONNREFUSED' });
      loopbackUsers.set(socket, user);
      loopbackConnections.add(socket);
      socket.once('close', () => loopbackConnections.delete(socket));
      // https.Server serves HTTP on 'secureConnection': handing the connection to that listener gives
      // it the same request handler and timeouts, and closeIdleConnections()/closeAllConnections()
      // reach it.
      server.emit('secureConnection', socket);
    },
    acceptThreadChannel(port, user) {
      // The channel's requests carry this object as their socket: authenticate() finds the user by it.
      const socket = {};
      loopbackUsers.set(socket, user);
      const channel = serveThreadChannel(port, {
        socket,
        refusal: () => (closing ? 'ECONNREFUSED' : undefined),
        // The same listener HTTPS and loopback requests reach.
        listener: (request: ThreadRequest, response: ThreadResponse) => server.emit('request', request, response),
      });
      threadChannels.add(channel);
      port.once('close', () => threadChannels.delete(channel));
    },
  };
}
