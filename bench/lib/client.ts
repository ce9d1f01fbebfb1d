// A minimal HTTPS client for the benchmarks: keep-alive TLS connections with the admin client
// certificate, requests that resolve with status, body and latency, and a bounded worker pool.
// The load generator shares the machine's two cores with the server it measures, so requests go
// through the project's lean HTTP/1.1 exchange (src/client/loopback-requests.ts) over plain
// tls.connect sockets rather than node's https.request + Agent, which cost several times more CPU
// per request; bodies are decoded and parsed only when read.
import { connect, createSecureContext } from 'node:tls';
import { LoopbackRequester } from '../../src/client/loopback-requests.js';
import type { Credentials } from './server.js';

export interface Response {
  status: number;
  body: Buffer;
  /** From request start to the last byte of the body, in ms. */
  ms: number;
}

/** No request of a benchmark takes this long; node's client had no limit at all. */
const requestTimeoutMs = 600_000;
/** Lists of 10,000 pods are tens of MiB; this only guards against a runaway answer. */
const maxResponseBytes = 1 << 30;
/**
 * The API server closes connections idle for 65 s (keepAliveTimeout, as upstream's); closing
 * ours first means a request never races the server's close on a reused connection (node's Agent
 * avoids the same race by reading the Keep-Alive hint). Benchmark requests never go this long
 * without a byte, so it never ends one in flight.
 */
const idleSocketTimeoutMs = 60_000;

export class Client {
  private readonly requester: LoopbackRequester;
  private readonly hostHeader: string;

  constructor(
    readonly port: number,
    readonly credentials: Credentials,
    maxSockets: number,
  ) {
    // One context for every connection: building one (parsing the key and certificates) costs
    // about a millisecond each time.
    const secureContext = createSecureContext({ ca: credentials.ca, cert: credentials.cert, key: credentials.key });
    this.hostHeader = `127.0.0.1:${port}`;
    // A TLS socket is a Duplex: writes made before the handshake completes are queued, and a
    // failed connect is an 'error' that fails the request waiting on it.
    this.requester = new LoopbackRequester(() => {
      const socket = connect({ host: '127.0.0.1', port, secureContext });
      socket.setNoDelay(true);
      socket.setTimeout(idleSocketTimeoutMs, () => socket.destroy());
      return socket;
    }, maxSockets);
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(method, path, body, headers).then(({ status, text, ms }) => lazyResponse(status, text, ms));
  }

  /** Like request, but throws unless the status is 2xx; `json` is the parsed body (parsed when first read). */
  async ok<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response & { json: T }> {
    const { status, text, ms } = await this.send(method, path, body, headers ?? {});
    if (status < 200 || status > 299) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 500)}`);
    const res = lazyResponse(status, text, ms) as Response & { json: T };
    let json: T | undefined;
    Object.defineProperty(res, 'json', { enumerable: true, get: () => (json ??= JSON.parse(text) as T) });
    return res;
  }

  close(): void {
    this.requester.close();
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string; ms: number }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    // The same headers node's client sent for us before; the caller's override them.
    const all: Record<string, string | number> = { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...headers };
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n`;
    for (const name in all) head += `${name}: ${all[name]}\r\n`;
    head += 'Connection: keep-alive\r\n\r\n';
    const started = performance.now();
    const answer = await this.requester.send({ head, payload, timeoutMs: requestTimeoutMs, maxResponseBytes });
    return { status: answer.statusCode, text: answer.body, ms: performance.now() - started };
  }
}

/** A Response whose body Buffer is made only if read (most callers read only status and ms). */
function lazyResponse(status: number, text: string, ms: number): Response {
  let body: Buffer | undefined;
  const res = { status, ms } as Response;
  Object.defineProperty(res, 'body', { enumerable: true, get: () => (body ??= Buffer.from(text, 'utf8')) });
  return res;
}

/** Runs task(0..count-1) with `concurrency` workers; resolves with the elapsed wall time in ms. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - started;
}
