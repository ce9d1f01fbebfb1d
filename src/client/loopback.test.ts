import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { loopbackConnector, loopbackHighWaterMarkBytes, loopbackPair } from './loopback.js';
import { Transport } from './transport.js';
import type { Duplex } from 'node:stream';

const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

test('bytes written to one end arrive at the other in order, and end() reads as EOF', async () => {
  const { client, server } = loopbackPair();
  client.write('GET / ');
  client.write('HTTP/1.1\r\n');
  client.end('\r\n');
  assert.equal(await readAll(server), 'GET / HTTP/1.1\r\n\r\n');
});

test('delivery waits for the next tick: a write never runs the reader inside the writer', async () => {
  const { client, server } = loopbackPair();
  const received: string[] = [];
  server.on('data', (chunk: Buffer) => received.push(chunk.toString()));
  client.write('a');
  client.write('b');
  assert.deepEqual(received, []);
  await new Promise((resolve) => process.nextTick(resolve));
  // Writes of one tick arrive as one chunk, as the kernel would coalesce them.
  assert.deepEqual(received, ['ab']);
});

test('a reader that stops reading holds the writer back after the high-water mark', async () => {
  const { client, server } = loopbackPair();
  await assertWriterHeldBack(client, server, loopbackHighWaterMarkBytes);
  client.destroy();
});

test('destroying one end: the other reads what was sent, then EOF, and closes', async () => {
  const { client, server } = loopbackPair();
  const text = readAll(client);
  const closed = once(client, 'close');
  server.write('last words');
  server.destroy();
  assert.equal(await text, 'last words');
  await closed;
});

test('writing to a destroyed peer fails with EPIPE', async () => {
  const { client, server } = loopbackPair();
  server.destroy();
  await once(server, 'close');
  client.on('error', () => undefined);
  const error = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => client.write('x', resolve));
  assert.equal(error?.code, 'EPIPE');
});

test('an idle end emits timeout after setTimeout; activity postpones it', async () => {
  const { client, server } = loopbackPair();
  const startedMs = performance.now();
  server.setTimeout(60);
  const keepBusy = setInterval(() => client.write('.'), 10);
  setTimeout(() => clearInterval(keepBusy), 100);
  server.resume();
  // The idle timer is unref'd, as a socket's: something else must keep this test's process alive.
  const keepAlive = setTimeout(() => undefined, 5_000);
  await once(server, 'timeout');
  clearTimeout(keepAlive);
  assert.ok(performance.now() - startedMs >= 140, 'timed out while data was still arriving');
  client.destroy();
});

/** An HTTP server reached only through loopback connections, as `k8ts server` serves its components. */
function loopbackHttpServer(handler: (path: string, response: ServerResponse) => void): { transport: (requestTimeoutMs?: number) => Transport; connections: () => number } {
  const http = createServer((request, response) => handler(request.url ?? '/', response));
  let connections = 0;
  const connect = loopbackConnector((socket) => {
    connections++;
    http.emit('connection', socket);
  });
  return {
    transport: (requestTimeoutMs) => new Transport({ server: 'https://127.0.0.1:6443', loopback: connect, requestTimeoutMs }),
    connections: () => connections,
  };
}

test('requests over loopback share keep-alive connections and parse JSON answers', async () => {
  const server = loopbackHttpServer((path, response) => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ path }));
  });
  const transport = server.transport();
  for (let i = 0; i < 20; i++) assert.deepEqual(await transport.request({ method: 'GET', path: `/api/v1/pods/${i}` }), { path: `/api/v1/pods/${i}` });
  assert.equal(server.connections(), 1);
  const concurrent = await Promise.all(Array.from({ length: 8 }, (_, i) => transport.request<{ path: string }>({ method: 'POST', path: `/p${i}`, body: { i } })));
  assert.deepEqual(concurrent.map((answer) => answer.path), Array.from({ length: 8 }, (_, i) => `/p${i}`));
  transport.close();
});

test('a watch streams over loopback until the transport closes it, which the server sees', async () => {
  let watchResponse: ServerResponse | undefined;
  const server = loopbackHttpServer((_path, response) => {
    watchResponse = response;
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write('{"type":"ADDED"}\n');
  });
  const transport = server.transport();
  const response = await transport.stream({ path: '/api/v1/pods?watch=true' }, () => undefined);
  const [first] = (await once(response, 'data')) as [Buffer];
  assert.equal(first.toString(), '{"type":"ADDED"}\n');
  const serverSawClose = once(watchResponse!, 'close');
  transport.close();
  await serverSawClose;
});

test('a refused loopback connection fails the request with ECONNREFUSED', async () => {
  const transport = new Transport({
    server: 'https://127.0.0.1:6443',
    loopback: () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
  });
  await assert.rejects(transport.stream({ path: '/api/v1/pods?watch=true' }, () => undefined), { code: 'ECONNREFUSED' });
  transport.close();
});

test('a request the server does not answer in time fails with ETIMEDOUT', async () => {
  const server = loopbackHttpServer(() => undefined);
  const transport = server.transport();
  await assert.rejects(transport.request({ method: 'POST', path: '/slow', timeoutMs: 50 }), { code: 'ETIMEDOUT' });
  transport.close();
});

/**
 * A reader that stops reading holds the writer back within a few high-water marks, and every
 * byte written arrives once it reads again.
 */
export async function assertWriterHeldBack(writer: Duplex, reader: Duplex, highWaterMarkBytes: number): Promise<void> {
  reader.pause();
  const chunk = Buffer.alloc(4096, 'x');
  let writtenBytes = 0;
  for (let round = 0; round < 10_000; round++) {
    writtenBytes += chunk.length;
    if (!writer.write(chunk)) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(writtenBytes <= 4 * highWaterMarkBytes, `writer was not held back (${writtenBytes} bytes accepted)`);
  const drained = once(writer, 'drain');
  let readBytes = 0;
  reader.on('data', (data: Buffer) => (readBytes += data.length));
  reader.resume();
  await drained;
  // Across threads the last bytes may still be on their way.
  for (let i = 0; i < 50 && readBytes < writtenBytes; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(readBytes, writtenBytes);
}
