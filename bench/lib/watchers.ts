// Many concurrent watch streams on one HTTPS agent; records when each event line arrives, keyed by
// the name of the object it carries, without parsing the JSON (the client must not be the
// bottleneck it measures).
import { Agent, request, type RequestOptions } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Credentials } from './server.js';

export interface Receipt {
  name: string;
  at: number;
}

export class WatcherFleet {
  readonly agent: Agent;
  private readonly requests: ClientRequest[] = [];
  /** Per watcher, the events it received in order. */
  readonly receipts: Receipt[][] = [];
  errors = 0;

  constructor(
    private readonly port: number,
    credentials: Credentials,
    count: number,
    private readonly namePattern: RegExp,
  ) {
    this.agent = new Agent({ keepAlive: false, maxSockets: count + 8, ca: credentials.ca, cert: credentials.cert, key: credentials.key });
  }

  /** Opens `count` watches on path, `concurrency` handshakes at a time; resolves when all have headers. */
  async open(path: string, count: number, concurrency: number): Promise<number> {
    const started = performance.now();
    let next = 0;
    const openOne = (index: number): Promise<void> =>
      new Promise((resolveOpen, reject) => {
        const receipts: Receipt[] = [];
        this.receipts[index] = receipts;
        const options: RequestOptions = { host: '127.0.0.1', port: this.port, path, method: 'GET', agent: this.agent, headers: { Accept: 'application/json' } };
        const req = request(options, (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: status ${res.statusCode}`));
            res.resume();
            return;
          }
          let partial = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const at = performance.now();
            const text = partial + chunk;
            let start = 0;
            for (;;) {
              const end = text.indexOf('\n', start);
              if (end < 0) break;
              const line = text.slice(start, end);
              const match = this.namePattern.exec(line);
              if (match) receipts.push({ name: match[1]!, at });
              start = end + 1;
            }
            partial = text.slice(start);
          });
          res.on('error', () => this.errors++);
          resolveOpen();
        });
        req.on('error', (error) => {
          if (!this.closing) this.errors++;
          reject(error);
        });
        req.end();
        this.requests.push(req);
      });
    const worker = async (): Promise<void> => {
      while (next < count) await openOne(next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - started;
  }

  private closing = false;

  /** Resolves when every watcher has received `events` events, or after timeoutMs. */
  async waitFor(events: number, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.receipts.every((r) => r.length >= events)) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  close(): void {
    this.closing = true;
    for (const req of this.requests) req.destroy();
    this.agent.destroy();
  }
}
