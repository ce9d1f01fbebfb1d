// The one HTTPS connection pool a component shares: keep-alive sockets (bounded), client-side
// rate limiting, a per-request timeout, and retries only where retrying cannot do harm.
// A component inside `k8ts server` gets in-memory loopback connections instead (config.loopback):
// the same HTTP requests, without TLS and sockets.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { createSecureContext } from 'node:tls';
import type { RestConfig } from './config.js';
import type { LoopbackConnector } from './loopback.js';
import { LoopbackRequester } from './loopback-requests.js';
import type { ThreadChannelClient } from './thread-channel.js';
import { apiErrorFromResponse, ApiError } from './errors.js';
import { TokenBucket } from './token-bucket.js';

/** Sockets for ordinary requests; more wait for a free one. */
export const requestMaxSockets = 32;
/**
 * The same for in-process components (loopback and thread connections: no kernel, no TLS). A
 * connection carries one request at a time, so this bounds how many of a component's requests
 * the server works on at once. With 32, the scheduler's bindings queued for connections (up to its
 * 1,000 in flight) and held it back at ~750 pods/s while CPU sat idle; upstream's scheduler
 * multiplexes its requests over HTTP/2 instead.
 */
export const loopbackRequestMaxConnections = 128;
/** Watches hold a socket each for minutes, so they get their own pool. */
export const watchMaxSockets = 256;
export const defaultQps = 50;
export const defaultBurst = 100;
export const defaultRequestTimeoutMs = 30_000;
/** Attempts after the first one for 429, 5xx and connection errors. */
export const requestMaxRetries = 5;
export const retryBaseDelayMs = 100;
export const retryMaxDelayMs = 5_000;
/** A server asking for a longer Retry-After than this is not waited for beyond it. */
export const retryAfterMaxMs = 30_000;
/** Response bodies larger than this are refused rather than buffered. */
export const responseMaxBytes = 256 * 1024 * 1024;
/** How long a read bearer token file is trusted before reading it again (client-go: 1 minute). */
const tokenFileRereadMs = 60_000;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/** Connection failures where the request was certainly never processed, so any verb may retry. */
const notSentCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** Connection failures where it might have been; only reads retry them. */
const brokenConnectionCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

export class Transport {
  readonly server: URL;
  readonly namespace: string;
  private readonly requestAgent: HttpAgent;
  private readonly watchAgent: HttpAgent;
  /** https.request, or http.request over loopback connections: each checks its agent's protocol. */
  private readonly send: (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;
  private readonly limiter: TokenBucket;
  private token: { value: string | undefined; readAtMs: number };
  /** Per-request values computed once: node's http client gets a raw header array (no setHeader per header). */
  private readonly basePath: string;
  private readonly host: string;
  private readonly port: string | number;
  private readonly hostHeader: string;
  private readonly leadingHeaders: string[];
  /** In-process components: ordinary requests skip node's http client (on loopback, watches still use it). */
  private readonly loopbackRequests: Pick<LoopbackRequester, 'send' | 'close'> | undefined;
  /** A worker thread's component: every request, watches too, goes over its channel. */
  private readonly threadChannel: ThreadChannelClient | undefined;

  constructor(readonly config: RestConfig) {
    this.server = new URL(config.server);
    this.namespace = config.namespace ?? 'default';
    const requestPool = { keepAlive: true, maxSockets: requestMaxSockets, maxFreeSockets: requestMaxSockets };
    const watchPool = { keepAlive: false, maxSockets: watchMaxSockets };
    this.threadChannel = config.threadChannel;
    if (config.threadChannel) {
      // Agents are still built (no sockets are ever opened through them) for the Host header's default port.
      this.requestAgent = new HttpAgent(requestPool);
      this.watchAgent = new HttpAgent(watchPool);
      this.send = httpRequest;
      this.loopbackRequests = config.threadChannel;
    } else if (config.loopback) {
      this.requestAgent = new LoopbackAgent(config.loopback, requestPool);
      this.watchAgent = new LoopbackAgent(config.loopback, watchPool);
      this.send = httpRequest;
      this.loopbackRequests = new LoopbackRequester(config.loopback, loopbackRequestMaxConnections);
    } else {
      // One secure context for every connection: built from ca/cert/key per connection, the key was
      // parsed again for each new socket (each watch opens one).
      const secureContext = createSecureContext({ ca: config.ca, cert: config.cert, key: config.key });
      const tls = { secureContext, rejectUnauthorized: !config.insecureSkipTlsVerify };
      this.requestAgent = new HttpsAgent({ ...tls, ...requestPool });
      this.watchAgent = new HttpsAgent({ ...tls, ...watchPool });
      this.send = httpsRequest;
    }
    this.limiter = new TokenBucket({ qps: config.qps ?? defaultQps, burst: config.burst ?? defaultBurst });
    this.token = { value: config.bearerToken, readAtMs: performance.now() };
    this.basePath = this.server.pathname.replace(/\/$/, '');
    this.host = this.server.hostname.replace(/^\[|\]$/g, '');
    this.port = this.server.port || 443;
    // The agent's default port: 80 for loopback (plain http), 443 for https.
    this.hostHeader = hostHeader(this.host, this.port, (this.requestAgent as HttpAgent & { defaultPort: number }).defaultPort);
    this.leadingHeaders = ['Accept', 'application/json', 'User-Agent', config.userAgent ?? 'k8ts-client'];
  }

  /** Sends a JSON request and returns the parsed JSON answer; throws ApiError for non-2xx answers. */
  async request<T>(req: HttpRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      // Most requests find a token: no promise or timer for them.
      const waitMs = this.limiter.reserveDelayMs();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      try {
        return await this.once<T>(req);
      } catch (error) {
        const delayMs = attempt < requestMaxRetries ? retryDelayMs(error, req.method, attempt) : undefined;
        if (delayMs === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Opens a streaming GET (a watch): resolves with the response once its headers arrived with a 2xx code. */
  async stream(req: Omit<HttpRequest, 'method' | 'body'>, onRequest: (destroy: () => void) => void): Promise<IncomingMessage> {
    await this.limiter.take();
    if (this.threadChannel) return this.streamOverChannel(this.threadChannel, req, onRequest);
    return new Promise((resolve, reject) => {
      const outgoing = this.send(this.options('GET', req, this.watchAgent), (res) => {
        clearTimeout(headerTimer);
        if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) return resolve(res);
        readBody(res).then((body) => reject(apiErrorFromResponse(res.statusCode ?? 0, body, retryAfterSeconds(res))), reject);
      });
      // The watch runs as long as the server keeps it open; only waiting for the headers is bounded.
      const headerTimer = setTimeout(() => outgoing.destroy(timeoutError(req.timeoutMs ?? this.timeoutMs)), req.timeoutMs ?? this.timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(headerTimer);
        reject(error);
      });
      onRequest(() => outgoing.destroy());
      outgoing.end();
    });
  }

  /** stream() over a thread channel: the same request, the answer's body a Readable as node's client gives. */
  private async streamOverChannel(channel: ThreadChannelClient, req: Omit<HttpRequest, 'method' | 'body'>, onRequest: (destroy: () => void) => void): Promise<IncomingMessage> {
    const response = await channel.stream(this.head('GET', req).head, req.timeoutMs ?? this.timeoutMs);
    const code = response.statusCode;
    if (code < 200 || code >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      const retryAfter = response.headers['retry-after'];
      throw apiErrorFromResponse(code, Buffer.concat(chunks).toString('utf8'), parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
    }
    onRequest(() => response.destroy());
    return response as unknown as IncomingMessage;
  }

  /** Closes idle keep-alive sockets and open watches. */
  close(): void {
    this.requestAgent.destroy();
    this.watchAgent.destroy();
    this.loopbackRequests?.close();
  }

  private get timeoutMs(): number {
    return this.config.requestTimeoutMs ?? defaultRequestTimeoutMs;
  }

  private once<T>(req: HttpRequest): Promise<T> {
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    // A body-less write would get node's own Content-Length/Transfer-Encoding choice: left to node
    // on a connection (a thread channel frames nothing, so it takes them all).
    if (this.loopbackRequests && (payload !== undefined || req.method === 'GET' || this.threadChannel)) return this.onceOverLoopback(this.loopbackRequests, req, payload);
    return new Promise((resolve, reject) => {
      const options = this.options(req.method, req, this.requestAgent, payload && [req.contentType ?? 'application/json', String(payload.length)]);
      const outgoing = this.send(options, (res) => {
        readBody(res).then((body) => {
          clearTimeout(timer);
          try {
            resolve(decodeAnswer<T>(req.method, options.path ?? '', res.statusCode ?? 0, body, res.headers['retry-after']));
          } catch (error) {
            reject(error);
          }
        }, reject);
      });
      const timeoutMs = req.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => outgoing.destroy(timeoutError(timeoutMs)), timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(payload);
    });
  }

  /** The same request as once() through node's client, byte for byte; the answer read the same way. */
  private async onceOverLoopback<T>(requester: Pick<LoopbackRequester, 'send'>, req: HttpRequest, payload: Buffer | undefined): Promise<T> {
    const { head, path } = this.head(req.method, req, payload && [req.contentType ?? 'application/json', String(payload.length)]);
    const answer = await requester.send({ head, payload, timeoutMs: req.timeoutMs ?? this.timeoutMs, maxResponseBytes: responseMaxBytes });
    return decodeAnswer<T>(req.method, path, answer.statusCode, answer.body, answer.retryAfter);
  }

  /** The request head node's client would write for these options (transport-wire.test.ts pins it), and the path in it. */
  private head(method: string, req: Pick<HttpRequest, 'path' | 'query' | 'timeoutMs'>, contentTypeAndLength?: [string, string]): { head: string; path: string } {
    const options = this.options(method, req, this.requestAgent, contentTypeAndLength);
    const headers = options.headers as string[];
    const path = options.path ?? '';
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    return { head: `${head}Connection: keep-alive\r\n\r\n`, path };
  }

  /**
   * Headers go in the order node wrote them from an object before (Accept, User-Agent,
   * Authorization, Content-Type, Content-Length, Host; node adds Connection): transport-wire.test.ts
   * pins the bytes. With an array node sets no Host itself, so it is added here as node would.
   */
  private options(method: string, req: Pick<HttpRequest, 'path' | 'query' | 'timeoutMs'>, agent: HttpAgent, contentTypeAndLength?: [string, string]): RequestOptions {
    const query = req.query?.toString();
    const headers = this.leadingHeaders.slice();
    const token = this.bearerToken();
    if (token) headers.push('Authorization', `Bearer ${token}`);
    if (contentTypeAndLength) headers.push('Content-Type', contentTypeAndLength[0], 'Content-Length', contentTypeAndLength[1]);
    headers.push('Host', this.hostHeader);
    return { host: this.host, port: this.port, method, path: `${this.basePath}${req.path}${query ? `?${query}` : ''}`, agent, headers, setHost: false };
  }

  private bearerToken(): string | undefined {
    const file = this.config.bearerTokenFile;
    if (file && (this.token.value === undefined || performance.now() - this.token.readAtMs > tokenFileRereadMs)) {
      try {
        this.token = { value: readFileSync(file, 'utf8').trim(), readAtMs: performance.now() };
      } catch (error) {
        // Keep the last good token: a rotation in progress can briefly remove the file.
        if (this.token.value === undefined) throw error;
      }
    }
    return this.token.value;
  }
}

/** An http.Agent (pooling, keep-alive, socket limits as usual) whose connections are loopback ones. */
class LoopbackAgent extends HttpAgent {
  constructor(private readonly connect: LoopbackConnector, options: { keepAlive: boolean; maxSockets: number; maxFreeSockets?: number }) {
    super(options);
  }

  override createConnection(_options: unknown, callback?: (error: Error | null, socket: Duplex) => void): Duplex | undefined {
    try {
      return this.connect();
    } catch (error) {
      // A refused connection fails its request through the callback, as a failed connect would.
      callback?.(error as Error, undefined as unknown as Duplex);
      return undefined;
    }
  }
}

/** The Host header node's http client derives from host and port (ClientRequest): IPv6 in brackets, the port unless the agent's default. */
export function hostHeader(host: string, port: string | number, defaultPort: number): string {
  const value = host.indexOf(':') !== host.lastIndexOf(':') && !host.startsWith('[') ? `[${host}]` : host;
  return Number(port) !== defaultPort ? `${value}:${port}` : value;
}

/** How long to wait before retrying, or undefined when this failure must not be retried. */
export function retryDelayMs(error: unknown, method: string, attempt: number): number | undefined {
  const backoffMs = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
  if (error instanceof ApiError) {
    if (error.code !== 429 && error.code < 500) return undefined;
    // client-go retries a 5xx only when the server says when to (Retry-After); a bare 500 may have done the write.
    if (error.code === 500 && error.retryAfterSeconds === undefined) return undefined;
    return error.retryAfterSeconds !== undefined ? Math.min(retryAfterMaxMs, error.retryAfterSeconds * 1000) : backoffMs;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (notSentCodes.has(code)) return backoffMs;
  if (brokenConnectionCodes.has(code) && method === 'GET') return backoffMs;
  if ((error as Error | undefined)?.message === 'socket hang up' && method === 'GET') return backoffMs;
  return undefined;
}

/** A non-2xx answer as ApiError, else the parsed JSON body ({} for an empty one). */
function decodeAnswer<T>(method: string, path: string, code: number, body: string, retryAfter: string | undefined): T {
  if (code < 200 || code >= 300) throw apiErrorFromResponse(code, body, parseRetryAfter(retryAfter));
  try {
    return (body === '' ? {} : JSON.parse(body)) as T;
  } catch (error) {
    throw new Error(`${method} ${path}: response is not JSON: ${(error as Error).message}`);
  }
}

function retryAfterSeconds(res: IncomingMessage): number | undefined {
  return parseRetryAfter(res.headers['retry-after']);
}

function parseRetryAfter(header: string | undefined): number | undefined {
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`request timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > responseMaxBytes) res.destroy(new Error(`response larger than ${responseMaxBytes} bytes`));
      else chunks.push(chunk);
    });
    // Small answers arrive as one chunk: decode it without concat's copy.
    res.on('end', () => resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
  });
}
