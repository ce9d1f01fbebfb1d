// The network probes against local servers: httpGet status ranges, headers and redirect rules,
// tcpSocket, and grpc health checks over HTTP/2.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Container } from 'kubernetes-types/core/v1.js';
import { decodeHealthCheckStatus, encodeHealthCheckRequest } from './grpc.js';
import { runHandler } from './run.js';

let http: Server;
let grpc: Http2Server;
let httpPort = 0;
let grpcPort = 0;
let seenHeaders: Record<string, unknown> = {};

before(async () => {
  http = createServer((req, res) => {
    seenHeaders = req.headers;
    if (req.url === '/ok') return res.writeHead(200).end('fine');
    if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/away') return res.writeHead(302, { location: 'http://example.invalid/' }).end('bye');
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(500).end('broken');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
  grpc = createHttp2Server();
  grpc.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const service = body.subarray(7).toString('utf8');
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      assert.equal(headers[':path'], '/grpc.health.v1.Health/Check');
      const status = service === 'down' ? 2 : 1;
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  });
  await new Promise<void>((resolve) => grpc.listen(0, '127.0.0.1', resolve));
  grpcPort = (grpc.address() as AddressInfo).port;
});

after(() => {
  http.close();
  grpc.close();
});

const container: Container = { name: 'c', ports: [{ name: 'web', containerPort: 0 }] };
const target = () => ({ runtime: { exec: async () => assert.fail('no exec') }, containerId: 'x', container: { ...container, ports: [{ name: 'web', containerPort: httpPort }] }, podIP: '127.0.0.1' });

test('httpGet: 2xx succeeds on a named port with kube-probe and custom headers; 5xx fails with upstream’s message', async () => {
  const ok = await runHandler({ httpGet: { path: '/ok', port: 'web', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] } }, target(), 1000);
  assert.equal(ok.ok, true);
  assert.equal(seenHeaders['user-agent'], 'kube-probe/1.32');
  assert.equal(seenHeaders['x-probe'], 'yes');
  assert.deepEqual(await runHandler({ httpGet: { path: '/bad', port: httpPort } }, target(), 1000), { ok: false, output: 'HTTP probe failed with statuscode: 500', statusCode: 500 });
});

test('httpGet follows same-host redirects, stops at another host with a warning, and gives up on loops', async () => {
  assert.equal((await runHandler({ httpGet: { path: '/moved', port: httpPort } }, target(), 1000)).ok, true);
  const away = await runHandler({ httpGet: { path: '/away', port: httpPort } }, target(), 1000);
  assert.equal(away.ok, true);
  assert.match(away.warning ?? '', /Probe terminated redirects/);
  assert.equal((await runHandler({ httpGet: { path: '/loop', port: httpPort } }, target(), 1000)).ok, false);
});

test('tcpSocket succeeds on an open port and fails on a closed one', async () => {
  const server = createTcpServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const open = (server.address() as AddressInfo).port;
  assert.equal((await runHandler({ tcpSocket: { port: open } }, target(), 1000)).ok, true);
  server.close();
  await new Promise((resolve) => server.once('close', resolve));
  const closed = await runHandler({ tcpSocket: { port: open } }, target(), 1000);
  assert.equal(closed.ok, false);
  assert.match(closed.output, /connection refused/);
});

test('grpc: SERVING succeeds, NOT_SERVING fails', async () => {
  assert.equal((await runHandler({ grpc: { port: grpcPort } }, target(), 2000)).ok, true);
  const down = await runHandler({ grpc: { port: grpcPort, service: 'down' } }, target(), 2000);
  assert.deepEqual(down, { ok: false, output: 'service unhealthy (responded with "NOT_SERVING")' });
});

test('the health check messages encode and decode by hand', () => {
  assert.deepEqual([...encodeHealthCheckRequest('')], [0, 0, 0, 0, 0]);
  assert.deepEqual([...encodeHealthCheckRequest('ab')], [0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 1])), 1);
  assert.equal(decodeHealthCheckStatus(Buffer.from([0, 0, 0, 0, 0])), 0);
});
