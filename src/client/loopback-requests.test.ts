import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { loopbackConnector } from './loopback.js';
import { LoopbackRequester, type LoopbackRequestOptions } from './loopback-requests.js';

function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  let connections = 0;
  const connect = loopbackConnector((socket) => {
    connections++;
    server.emit('connection', socket);
  });
  return { connect, connections: () => connections };
}

const get = (path: string, extra: Partial<LoopbackRequestOptions> = {}): LoopbackRequestOptions => ({
  head: `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`,
  payload: undefined,
  timeoutMs: 5_000,
  maxResponseBytes: 1024 * 1024,
  ...extra,
});

test('answers by Content-Length, chunked (split anywhere) and empty bodies, over one kept-alive connection', async () => {
  const big = 'x'.repeat(100_000);
  const { connect, connections } = serve((req, res) => {
    if (req.url === '/length') return res.end('{"a":1}');
    if (req.url === '/empty') return res.writeHead(204).end();
    res.write('{"b":');
    setImmediate(() => res.end(`"${big}"}`));
  });
  const requester = new LoopbackRequester(connect, 4);
  assert.deepEqual(await requester.send(get('/length')), { statusCode: 200, retryAfter: undefined, body: '{"a":1}' });
  assert.equal((await requester.send(get('/chunked'))).body, `{"b":"${big}"}`);
  assert.deepEqual(await requester.send(get('/empty')), { statusCode: 204, retryAfter: undefined, body: '' });
  assert.equal(connections(), 1);
  requester.close();
});

test('error answers keep their code and Retry-After; a request body reaches the server', async () => {
  const { connect } = serve((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => res.writeHead(429, { 'Retry-After': '3' }).end(body));
  });
  const requester = new LoopbackRequester(connect, 4);
  const payload = Buffer.from('{"x":"ü"}');
  const answer = await requester.send({ ...get('/'), head: `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${payload.length}\r\nConnection: keep-alive\r\n\r\n`, payload });
  assert.deepEqual(answer, { statusCode: 429, retryAfter: '3', body: '{"x":"ü"}' });
  requester.close();
});

test('at most maxConnections requests are in flight; the rest wait their turn', async () => {
  let inFlight = 0;
  let peak = 0;
  const { connect, connections } = serve((_req, res) => {
    peak = Math.max(peak, ++inFlight);
    setTimeout(() => {
      inFlight--;
      res.end('{}');
    }, 5);
  });
  const requester = new LoopbackRequester(connect, 3);
  const answers = await Promise.all(Array.from({ length: 20 }, () => requester.send(get('/'))));
  assert.equal(answers.length, 20);
  assert.equal(peak, 3);
  assert.equal(connections(), 3);
  requester.close();
});

test('a server that closes the connection mid-answer fails the request as a hang-up; the next one reconnects', async () => {
  let calls = 0;
  const { connect, connections } = serve((_req, res) => {
    if (++calls === 1) {
      res.writeHead(200, { 'Content-Length': '10' });
      res.write('{"a"');
      setImmediate(() => res.socket?.destroy());
    } else res.end('{}');
  });
  const requester = new LoopbackRequester(connect, 1);
  await assert.rejects(requester.send(get('/')), { code: 'ECONNRESET', message: 'socket hang up' });
  assert.equal((await requester.send(get('/'))).body, '{}');
  assert.equal(connections(), 2);
  requester.close();
});

test('Connection: close answers end the connection, and a slow answer times out', async () => {
  const { connect, connections } = serve((req, res) => {
    if (req.url === '/close') return res.writeHead(200, { Connection: 'close' }).end('{}');
  });
  const requester = new LoopbackRequester(connect, 1);
  assert.equal((await requester.send(get('/close'))).body, '{}');
  await assert.rejects(requester.send(get('/slow', { timeoutMs: 20 })), { code: 'ETIMEDOUT' });
  assert.equal(connections(), 2);
  requester.close();
});

test('a chunked answer decodes whatever way its bytes are split, and one beyond the size limit fails', async () => {
  const body = '{"items":["' + 'ü'.repeat(40) + '"]}';
  const wire = Buffer.from(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n${body.slice(0, 5)}\r\n${Buffer.byteLength(body.slice(5)).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`);
  for (let cut = 1; cut < wire.length; cut += 3) {
    const connect = loopbackConnector((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', () => {
        socket.write(wire.subarray(0, cut));
        setImmediate(() => socket.write(wire.subarray(cut)));
      });
    });
    const requester = new LoopbackRequester(connect, 1);
    assert.equal((await requester.send(get('/'))).body, body, `cut at ${cut}`);
    await assert.rejects(requester.send(get('/', { maxResponseBytes: 10 })), /response larger than 10 bytes/);
    requester.close();
  }
});
