// One watch on a namespace's bound pods recording when each pod was first seen bound (spec.nodeName
// set), for the scheduler benchmark. The load generator shares the machine with the server it
// measures, so it asks only for what it measures: the field selector spec.nodeName!= has the
// server send a pod's first event when it is bound (an ADDED: it enters the selection) instead
// of its creation too; and event lines are not all parsed: only a pod's first bound one is (with
// --run-pods, the Running status update follows).
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from './server.js';

const metadataName = '"metadata":{"name":"';

/**
 * The pod an event line shows bound for the first time, or undefined. Cheap checks rule lines out
 * only when they are certain: a pod already recorded (its name read from the compact JSON the
 * server writes, when metadata.name comes first and before the spec, which is the only place a
 * nested "metadata" could be), or no "nodeName" key anywhere in the line (an escaped one inside
 * a string would not match). Anything else is parsed.
 */
export function newlyBoundPod(line: string, bound: { has(name: string): boolean }): string | undefined {
  const nameAt = line.indexOf(metadataName);
  if (nameAt >= 0) {
    const specAt = line.indexOf('"spec":');
    if (specAt < 0 || nameAt < specAt) {
      const start = nameAt + metadataName.length;
      if (bound.has(line.slice(start, line.indexOf('"', start)))) return undefined;
    }
  }
  if (!line.includes('"nodeName"')) return undefined;
  const event = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
  const name = event.object?.metadata?.name;
  return name && event.object?.spec?.nodeName && !bound.has(name) ? name : undefined;
}

export class BindWatch {
  /** When each pod was first seen bound (performance.now() at the chunk's arrival). */
  readonly boundAt = new Map<string, number>();
  private req: ReturnType<typeof request> | undefined;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly server: { port: number; credentials: Credentials }) {}

  open(namespace: string): Promise<void> {
    const { ca, cert, key } = this.server.credentials;
    return new Promise((resolveOpen, reject) => {
      this.req = request(
        { host: '127.0.0.1', port: this.server.port, path: `/api/v1/namespaces/${namespace}/pods?watch=true&allowWatchBookmarks=false&fieldSelector=${encodeURIComponent('spec.nodeName!=')}`, method: 'GET', ca, cert, key, agent: false, headers: { Accept: 'application/json' } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) return reject(new Error(`watch: ${res.statusCode}`));
          let partial = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const at = performance.now();
            const lines = (partial + chunk).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) {
              const name = line ? newlyBoundPod(line, this.boundAt) : undefined;
              if (name) this.boundAt.set(name, at);
            }
            if (this.waiters.length === 0) return;
            for (const waiter of this.waiters.filter((w) => this.boundAt.size >= w.count)) waiter.resolve();
            this.waiters = this.waiters.filter((w) => this.boundAt.size < w.count);
          });
          res.on('error', () => undefined);
          resolveOpen();
        },
      );
      this.req.on('error', () => undefined);
      this.req.end();
    });
  }

  /** Resolves true once count pods are bound, false after timeoutMs. */
  waitFor(count: number, timeoutMs: number): Promise<boolean> {
    if (this.boundAt.size >= count) return Promise.resolve(true);
    return new Promise((resolveWait) => {
      const timer = setTimeout(() => resolveWait(false), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolveWait(true)) });
    });
  }

  close(): void {
    this.req?.destroy();
  }
}
