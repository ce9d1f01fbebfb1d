// One watch on a namespace's bound pods recording when each pod was first seen bound (spec.nodeName
// set), for the scheduler benchmark. The load generator shares the machine with the server it
// measures, so it asks only for what it measures: the field selector spec.nodeName!= has the
// server send a pod's first event when it is bound (an ADDED: it enters the selection) instead
// of its creation too; and event lines are read without parsing them whole.
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { findMember, skipValue } from '../../src/api/compact-json.js';
import type { Credentials } from './server.js';

/**
 * The pod an event line shows bound for the first time, or undefined. The server writes compact
 * JSON, so the pod's name and spec.nodeName are read from the text (compact-json.ts) without
 * parsing the whole line, which cost the load generator ~40 µs per pod; a line the scanner cannot
 * read is parsed.
 */
export function newlyBoundPod(line: string, bound: { has(name: string): boolean }): string | undefined {
  const scanned = scanPod(line);
  if (scanned) return scanned.nodeName && !bound.has(scanned.name) ? scanned.name : undefined;
  const event = JSON.parse(line) as { object?: { metadata?: { name?: string }; spec?: { nodeName?: string } } };
  const name = event.object?.metadata?.name;
  return name && event.object?.spec?.nodeName && !bound.has(name) ? name : undefined;
}

/** The event object's metadata.name and whether its spec.nodeName is set, read from compact JSON; undefined when it cannot be read so. */
function scanPod(line: string): { name: string; nodeName: boolean } | undefined {
  const object = findMember(line, 0, 'object');
  if (!object) return undefined;
  const metadata = findMember(line, object.valueStart, 'metadata');
  const name = metadata && findMember(line, metadata.valueStart, 'name');
  const spec = findMember(line, object.valueStart, 'spec');
  if (!name || !spec || line.charCodeAt(name.valueStart) !== 0x22) return undefined;
  const nameText = line.slice(name.valueStart, skipValue(line, name.valueStart));
  // A name needing escapes is left to JSON.parse.
  if (nameText.includes('\\')) return undefined;
  const nodeName = findMember(line, spec.valueStart, 'nodeName');
  return { name: nameText.slice(1, -1), nodeName: nodeName !== undefined && !line.startsWith('""', nodeName.valueStart) && !line.startsWith('null', nodeName.valueStart) };
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
