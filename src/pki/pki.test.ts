import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describeCertificate, generateCA, generateServiceAccountKey, issueClientCert, issueServingCert, type CertAndKey } from './certs.js';
import { ensureClusterPki } from './cluster-pki.js';
import { clientIdentity } from './identity.js';
import { writeKubeconfig } from './kubeconfig.js';

const run = promisify(execFile);
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const kubectlPath = '/usr/bin/kubectl';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A TLS server that asks for client certs and reports who it saw. */
async function identityServer(serving: CertAndKey, caPem: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: caPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const identity = socket.authorized ? clientIdentity(socket.getPeerCertificate()) : undefined;
    if (new URL(req.url ?? '/', 'https://x').pathname === '/version' && identity) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-k8ts', platform: 'linux/amd64' }));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ authorized: socket.authorized, identity: identity ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function get(port: string | number, caPem: string, client?: CertAndKey, path = '/whoami'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: caPem, cert: client?.certPem, key: client?.keyPem, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('certificates', () => {
  it('issues a CA and leaves with the expected shape', async () => {
    const ca = await generateCA('k8ts-test-ca');
    const caFacts = describeCertificate(ca.certPem);
    const years = (caFacts.notAfter.getTime() - Date.now()) / (365 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1, `CA validity ${years}`);
    const serving = await issueServingCert(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost', 'k.example'], ipAddresses: ['127.0.0.1', '10.96.0.1'] });
    const facts = describeCertificate(serving.certPem);
    assert.deepEqual(facts.dnsNames, ['localhost', 'k.example']);
    assert.deepEqual(facts.ipAddresses, ['127.0.0.1', '10.96.0.1']);
    const days = (facts.notAfter.getTime() - Date.now()) / (24 * 3600 * 1000);
    assert.ok(days > 364 && days < 366, `leaf validity ${days}`);
    assert.match(serving.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    await assert.rejects(issueServingCert(ca, { commonName: 'x', ipAddresses: ['not-an-ip'] }), /invalid IP address/);
    await assert.rejects(issueClientCert(ca, { commonName: '' }), /non-empty/);
  });

  it('makes a service-account key pair', async () => {
    const sa = await generateServiceAccountKey();
    assert.match(sa.privateKeyPem, /BEGIN PRIVATE KEY/);
    assert.match(sa.publicKeyPem, /BEGIN PUBLIC KEY/);
  });

  it('lets a TLS server read user and groups from a client cert, and flags foreign certs', async () => {
    const ca = await generateCA('k8ts-test-ca');
    const serving = await issueServingCert(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const admin = await issueClientCert(ca, { commonName: 'kubernetes-admin', organizations: ['system:masters'] });
    const multi = await issueClientCert(ca, { commonName: 'alice', organizations: ['dev', 'ops'] });
    const stranger = await issueClientCert(await generateCA('other-ca'), { commonName: 'mallory', organizations: ['system:masters'] });
    const { server, port } = await identityServer(serving, ca.certPem);
    try {
      assert.deepEqual(await get(port, ca.certPem, admin), { authorized: true, identity: { user: 'kubernetes-admin', groups: ['system:masters'] } });
      assert.deepEqual(await get(port, ca.certPem, multi), { authorized: true, identity: { user: 'alice', groups: ['dev', 'ops'] } });
      assert.deepEqual(await get(port, ca.certPem, stranger), { authorized: false, identity: null });
      assert.deepEqual(await get(port, ca.certPem), { authorized: false, identity: null });
    } finally {
      server.close();
    }
  });

  it('reads identities defensively', () => {
    assert.equal(clientIdentity(undefined), undefined);
    assert.equal(clientIdentity({}), undefined);
    assert.equal(clientIdentity({ subject: { O: 'x' } as never }), undefined);
    assert.deepEqual(clientIdentity({ subject: { CN: ['a', 'b'], O: 'g' } as never }), { user: 'b', groups: ['g'] });
  });
});

describe('ensureClusterPki', () => {
  const opts = { hostname: 'node-a', bindAddress: '0.0.0.0', nodeAddresses: ['192.168.5.10'], serviceIP: '10.96.0.1' };

  it('writes the full set once, with private modes, and reuses it', async () => {
    const dir = join(work, 'pki');
    const first = await ensureClusterPki(dir, opts);
    assert.equal(first.written.length, 10);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal(describeCertificate(first.kubeletClient.certPem).subjectCommonName, 'kube-apiserver-kubelet-client');
    for (const key of ['ca.key', 'server.key', 'admin.key', 'apiserver-kubelet-client.key', 'sa.key']) assert.equal((await stat(join(dir, key))).mode & 0o777, 0o600, key);
    const facts = describeCertificate(first.server.certPem);
    for (const name of ['localhost', 'node-a', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
      assert.ok(facts.dnsNames.includes(name), name);
    }
    for (const ip of ['127.0.0.1', '192.168.5.10', '10.96.0.1']) assert.ok(facts.ipAddresses.includes(ip), ip);
    assert.ok(!facts.ipAddresses.includes('0.0.0.0'));
    assert.equal(clientIdentity({ subject: { CN: describeCertificate(first.admin.certPem).subjectCommonName } as never })?.user, 'kubernetes-admin');

    const second = await ensureClusterPki(dir, opts);
    assert.deepEqual(second.written, []);
    assert.equal(second.server.certPem, first.server.certPem);

    // A new node address is missing from the serving cert: only that cert is reissued.
    const third = await ensureClusterPki(dir, { ...opts, nodeAddresses: ['192.168.5.10', '192.168.5.11'] });
    assert.deepEqual(third.written.map((p) => p.slice(dir.length + 1)).sort(), ['server.crt', 'server.key']);
    assert.equal(third.ca.certPem, first.ca.certPem);
    assert.ok(describeCertificate(third.server.certPem).ipAddresses.includes('192.168.5.11'));

    // A damaged admin key is replaced rather than served.
    await writeFile(join(dir, 'admin.key'), 'garbage');
    const fourth = await ensureClusterPki(dir, opts);
    assert.ok(fourth.written.some((p) => p.endsWith('admin.key')));
    if (haveOpenssl) {
      const verify = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'server.crt'), join(dir, 'admin.crt')], { encoding: 'utf8' });
      assert.equal(verify.status, 0, verify.stderr);
      const text = spawnSync('openssl', ['x509', '-in', join(dir, 'server.crt'), '-noout', '-text'], { encoding: 'utf8' }).stdout;
      assert.match(text, /DNS:kubernetes\.default\.svc\.cluster\.local/);
      assert.match(text, /IP Address:10\.96\.0\.1/);
      assert.match(text, /TLS Web Server Authentication/);
      const adminText = spawnSync('openssl', ['x509', '-in', join(dir, 'admin.crt'), '-noout', '-subject', '-ext', 'extendedKeyUsage'], { encoding: 'utf8' }).stdout;
      assert.match(adminText, /O ?= ?system:masters, CN ?= ?kubernetes-admin/);
      assert.match(adminText, /TLS Web Client Authentication/);
    }
  });

  it('writes a kubeconfig that real kubectl uses against our TLS server', { skip: !existsSync(kubectlPath) }, async () => {
    const pki = await ensureClusterPki(join(work, 'pki-kubectl'), { hostname: 'node-b' });
    const { server, port } = await identityServer(pki.server, pki.ca.certPem);
    const kubeconfig = join(work, 'admin.conf');
    try {
      await writeKubeconfig(kubeconfig, {
        server: `https://127.0.0.1:${port}`,
        caPem: pki.ca.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
        user: 'kubernetes-admin',
      });
      assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);
      const doc = parse(await readFile(kubeconfig, 'utf8')) as Record<string, unknown>;
      assert.equal(doc['current-context'], 'k8ts');
      const { stdout } = await run(kubectlPath, ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], { env: { ...process.env, HOME: work }, timeout: 20_000 });
      const version = JSON.parse(stdout) as { serverVersion?: { major: string; minor: string } };
      assert.deepEqual({ major: version.serverVersion?.major, minor: version.serverVersion?.minor }, { major: '1', minor: '32' });
    } finally {
      server.close();
    }
  });
});
