// For tests: Debian's real `docker-registry` (distribution 2.8) on a free loopback port with a
// temporary storage directory — anonymous, with htpasswd Basic auth, or with Bearer tokens from
// a small token server in this process (ES256 JWTs whose signing certificate the registry trusts).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** docker-registry starts in well under a second; a loaded test machine gets ample slack. */
const registryStartTimeoutMs = 15_000;

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  storage: string;
  /** Token requests the token server answered (Bearer mode). */
  tokenRequests: string[];
  /** The CA that signed the registry's certificate (TLS mode). */
  caFile?: string;
  stop(): Promise<void>;
}

export type TestRegistryAuth = { kind: 'none' } | { kind: 'basic'; users: Record<string, string> } | { kind: 'token'; users: Record<string, string> };

export interface TestRegistryOptions {
  /** Serve HTTPS on this address with a certificate from a fresh CA (written to `caFile`). */
  tlsAddress?: string;
}

export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function ready(host: string, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = (tls ? httpsRequest : request)(`${tls ? 'https' : 'http'}://${host}/v2/`, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('error', () => resolve(false));
    req.end();
  });
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

async function startTokenServer(dir: string, users: Record<string, string>, requests: string[]): Promise<{ server: Server; realm: string; certFile: string }> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=k8ts-test-token-issuer']);
  const key = createPrivateKey(readFileSync(keyFile));
  const certDer = readFileSync(certFile, 'utf8').replace(/-----[^-]+-----|\s/g, '');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    requests.push(url.search);
    const header = req.headers.authorization ?? '';
    let user = '';
    if (header.startsWith('Basic ')) {
      const [name, password] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      if (!name || users[name] !== password) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      user = name;
    }
    // Anonymous users may pull; known users may also push.
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      const allowed = (actions ?? '').split(',').filter((action) => action === 'pull' || (user && action === 'push'));
      return { type, name, actions: allowed };
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'k8ts-test-issuer', sub: user, aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certDer] }))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${input}.${base64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, realm: `http://127.0.0.1:${port}/token`, certFile };
}

async function makeCertificate(dir: string, address: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const certFile = join(dir, 'registry.crt');
  const keyFile = join(dir, 'registry.key');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', '/CN=k8ts-test-registry-ca']);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', join(dir, 'registry.csr'), '-subj', '/CN=k8ts-test-registry']);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=IP:${address}\n`);
  await run('openssl', ['x509', '-req', '-in', join(dir, 'registry.csr'), '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', join(dir, 'san.ext')]);
  return { caFile, certFile, keyFile };
}

export async function startTestRegistry(auth: TestRegistryAuth = { kind: 'none' }, options: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-registry-'));
  const storage = join(dir, 'storage');
  const port = await freePort(options.tlsAddress);
  const host = `${options.tlsAddress ?? '127.0.0.1'}:${port}`;
  const tls = options.tlsAddress ? await makeCertificate(dir, options.tlsAddress) : undefined;
  const tokenRequests: string[] = [];
  let tokenServer: Server | undefined;
  let authConfig = '';
  if (auth.kind === 'basic') {
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, '');
    for (const [user, password] of Object.entries(auth.users)) await run('htpasswd', ['-Bb', htpasswd, user, password]);
    authConfig = `auth:\n  htpasswd:\n    realm: k8ts-test\n    path: ${htpasswd}\n`;
  } else if (auth.kind === 'token') {
    const token = await startTokenServer(dir, auth.users, tokenRequests);
    tokenServer = token.server;
    authConfig = `auth:\n  token:\n    realm: ${token.realm}\n    service: k8ts-test-registry\n    issuer: k8ts-test-issuer\n    rootcertbundle: ${token.certFile}\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${tls ? `  tls:\n    certificate: ${tls.certFile}\n    key: ${tls.keyFile}\n` : ''}${authConfig}`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (tokenServer) await new Promise((resolve) => tokenServer!.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + registryStartTimeoutMs;
  while (!(await ready(host, tls !== undefined))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start on ${host}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { host, storage, tokenRequests, ...(tls ? { caFile: tls.caFile } : {}), stop };
}
