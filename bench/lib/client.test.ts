import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generateCA, issueClientCert, issueServingCert } from '../../src/pki/certs.js';
import { Client, pool } from './client.js';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  clientCn: string;
  socket: number;
}

/** An HTTPS server that requires a client certificate and echoes what it was sent. */
async function echoServer(): Promise<{ server: Server; client: Client; seen: Seen[]; sockets: Set<unknown> }> {
  const ca = await generateCA('bench-ca');
  const serving = await issueServingCert(ca, { commonName: 'server', ipAddresses: ['127.0.0.1'] });
  const admin = await issueClientCert(ca, { commonName: 'admin', organizations: ['system:masters'] });
  const seen: Seen[] = [];
  const sockets = new Set<unknown>();
  const server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      sockets.add(req.socket);
      const clientCn = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString(), clientCn, socket: sockets.size });
      if (req.url === '/missing') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","reason":"NotFound"}');
        return;
      }
      // Chunked (no Content-Length), as the API server answers lists.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"echo":');
      res.end(`${JSON.stringify({ method: req.method, path: req.url })}}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const credentials = { ca: Buffer.from(ca.certPem), cert: Buffer.from(admin.certPem), key: Buffer.from(admin.keyPem) };
  return { server, client: new Client((server.address() as AddressInfo).port, credentials, 2), seen, sockets };
}

test('the bench client sends JSON with the client certificate over at most maxSockets keep-alive connections', async () => {
  const { server, client, seen, sockets } = await echoServer();
  try {
    const created = await client.ok<{ echo: { method: string; path: string } }>('POST', '/api/v1/namespaces', { metadata: { name: 'ns' } });
    assert.equal(created.status, 200);
    assert.deepEqual(created.json, { echo: { method: 'POST', path: '/api/v1/namespaces' } });
    assert.equal(created.body.toString(), '{"echo":{"method":"POST","path":"/api/v1/namespaces"}}');
    assert.ok(created.ms > 0);
    assert.equal(seen[0]!.body, '{"metadata":{"name":"ns"}}');
    assert.equal(seen[0]!.headers['content-type'], 'application/json');
    assert.equal(seen[0]!.headers['content-length'], String(seen[0]!.body.length));
    assert.equal(seen[0]!.headers.accept, 'application/json');
    assert.equal(seen[0]!.clientCn, 'admin');

    await client.ok('PATCH', '/api/v1/nodes/n', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(seen[1]!.headers['content-type'], 'application/merge-patch+json', 'the caller\'s headers override the defaults');

    await pool(20, 8, async (i) => void (await client.ok('GET', `/api/v1/pods/${i}`)));
    assert.equal(seen.length, 22);
    assert.ok(sockets.size <= 2, `${sockets.size} connections for a pool of 2`);

    const missing = await client.request('GET', '/missing');
    assert.equal(missing.status, 404);
    await assert.rejects(client.ok('GET', '/missing'), /GET \/missing: 404 \{"kind":"Status"/);
  } finally {
    client.close();
    server.closeAllConnections();
    server.close();
  }
});

test('a connection the server closed while idle is replaced by a new one', async () => {
  const { server, client, sockets } = await echoServer();
  server.keepAliveTimeout = 50;
  try {
    await client.ok('GET', '/a');
    // node's server closes an idle connection keepAliveTimeout + 1 s after its last answer.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal((await client.ok('GET', '/b')).status, 200);
    assert.equal(sockets.size, 2);
  } finally {
    client.close();
    server.closeAllConnections();
    server.close();
  }
});

test('a request to a port nothing listens on fails instead of hanging', async () => {
  const { server, client } = await echoServer();
  server.close();
  try {
    await assert.rejects(client.request('GET', '/api'), /ECONNREFUSED/);
  } finally {
    client.close();
  }
});
