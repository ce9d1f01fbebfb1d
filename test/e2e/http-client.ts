// A raw HTTPS client for tests that need to see status codes, headers and streams exactly.
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { parse as parseYaml } from 'yaml';

export interface Credentials {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
  server: URL;
}

/** Reads the admin kubeconfig a k8ts server wrote. */
export function credentialsFrom(kubeconfigPath: string): Credentials {
  const config = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const user = config.users[0]!.user;
  return {
    server: new URL(cluster.server),
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
    cert: Buffer.from(user['client-certificate-data'], 'base64'),
    key: Buffer.from(user['client-key-data'], 'base64'),
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export function call(creds: Credentials, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...baseOptions(creds), method, path, headers: { Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(options.headers ?? {}) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface WatchStream {
  events: { type: string; object: Record<string, unknown> }[];
  status: Promise<number>;
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch and collects its newline-delimited events. */
export function openWatch(creds: Credentials, path: string, headers: Record<string, string> = {}): WatchStream {
  const events: WatchStream['events'] = [];
  let close = (): void => undefined;
  let resolveStatus: (code: number) => void = () => undefined;
  const status = new Promise<number>((resolve) => (resolveStatus = resolve));
  const ended = new Promise<void>((resolve, reject) => {
    const req = request({ ...baseOptions(creds), method: 'GET', path, headers: { Accept: 'application/json', ...headers } }, (res) => {
      resolveStatus(res.statusCode ?? 0);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
    req.end();
    close = () => req.destroy();
  });
  return { events, status, ended, close: () => close() };
}

function baseOptions(creds: Credentials): RequestOptions {
  return {
    host: creds.server.hostname,
    port: Number(creds.server.port),
    ca: creds.ca,
    cert: creds.cert,
    key: creds.key,
    agent: false,
  };
}
