// A minimal HTTPS client for the benchmarks: keep-alive agent with the admin client certificate,
// requests that resolve with status, body and latency, and a bounded worker pool.
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from './server.js';

export interface Response {
  status: number;
  body: Buffer;
  /** From request start to the last byte of the body, in ms. */
  ms: number;
}

export class Client {
  readonly agent: Agent;
  constructor(
    readonly port: number,
    readonly credentials: Credentials,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: credentials.ca, cert: credentials.cert, key: credentials.key });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    return new Promise((resolveResponse, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}), ...headers },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request, but throws unless the status is 2xx; resolves with the parsed body too. */
  async ok<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response & { json: T }> {
    const res = await this.request(method, path, body, headers);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.body.toString().slice(0, 500)}`);
    return { ...res, json: JSON.parse(res.body.toString()) as T };
  }

  close(): void {
    this.agent.destroy();
  }
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
