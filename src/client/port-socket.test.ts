import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { isPortConnectMessage, portConnector, PortSocket, portSocketHighWaterMarkBytes, portSocketServerEnd } from './port-socket.js';
import { assertWriterHeldBack } from './socket-test-helpers.js';
import { Transport } from './transport.js';

const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

function portPair(): { client: PortSocket; server: PortSocket } {
  const { port1, port2 } = new MessageChannel();
  return { client: new PortSocket(port1, { allowHalfOpen: false }), server: new PortSocket(port2, { allowHalfOpen: true }) };
}

test('bytes written to one end arrive at the other in order, and end() reads as EOF', async () => {
  const { client, server } = portPair();
  client.write('GET / ');
  client.write(Buffer.from('HTTP/1.1\r\n'));
  client.end('\r\n');
  assert.equal(await readAll(server), 'GET / HTTP/1.1\r\n\r\n');
});

test('a reader that stops reading holds the writer back after the high-water mark, and releases it as it reads', async () => {
  const { client, server } = portPair();
  await assertWriterHeldBack(client, server, portSocketHighWaterMarkBytes);
  client.destroy();
});

test('a reader that keeps up acknowledges in steps of bytes, not message by message', async () => {
  const { port1, port2 } = new MessageChannel();
  const writer = new PortSocket(port1, { allowHalfOpen: false });
  const reader = new PortSocket(port2, { allowHalfOpen: true });
  let acknowledgements = 0;
  port1.on('message', (message: unknown) => typeof message === 'number' && acknowledgements++);
  let readBytes = 0;
  reader.on('data', (data: Buffer) => (readBytes += data.length));
  const chunk = Buffer.alloc(1024, 'z');
  for (let i = 0; i < 200; i++) {
    writer.write(chunk);
    // One message per write: the next one waits for the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(readBytes, 200 * 1024);
  assert.ok(acknowledgements > 0 && acknowledgements <= (200 * 1024) / (portSocketHighWaterMarkBytes / 4), `${acknowledgements} acknowledgements for 200 messages`);
  writer.destroy();
});

test('destroying one end: the other reads what was sent, then EOF', async () => {
  const { client, server } = portPair();
  const text = readAll(client);
  server.write('last words');
  server.destroy();
  assert.equal(await text, 'last words');
});

test('writing to a destroyed peer fails with EPIPE', async () => {
  const { client, server } = portPair();
  server.destroy();
  await new Promise((resolve) => setTimeout(resolve, 20));
  client.on('error', () => undefined);
  const error = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => client.write('x', resolve));
  assert.equal(error?.code, 'EPIPE');
});

test('a port closed under a socket (its thread ended) reads as EOF', async () => {
  const { port1, port2 } = new MessageChannel();
  const socket = new PortSocket(port1, { allowHalfOpen: true });
  const text = readAll(socket);
  port2.postMessage(new TextEncoder().encode('partial').buffer);
  port2.close();
  assert.equal(await text, 'partial');
});

/** An HTTP server in this thread, reached through port connections, as `k8ts server` serves its scheduler thread. */
function portHttpServer(): { transport: () => Transport; connections: () => number; close: () => void } {
  const http = createServer((request, response) => {
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ path: request.url }));
  });
  const control = new MessageChannel();
  let connections = 0;
  control.port2.on('message', (message: unknown) => {
    if (!isPortConnectMessage(message)) return;
    connections++;
    http.emit('connection', portSocketServerEnd(message));
  });
  return {
    transport: () => new Transport({ server: 'https://127.0.0.1:6443', loopback: portConnector(control.port1) }),
    connections: () => connections,
    close: () => control.port2.close(),
  };
}

test('requests over port connections share keep-alive connections and parse JSON answers', async () => {
  const server = portHttpServer();
  const transport = server.transport();
  for (let i = 0; i < 20; i++) assert.deepEqual(await transport.request({ method: 'GET', path: `/api/v1/pods/${i}` }), { path: `/api/v1/pods/${i}` });
  assert.equal(server.connections(), 1);
  const big = 'y'.repeat(3 * portSocketHighWaterMarkBytes);
  const concurrent = await Promise.all(Array.from({ length: 8 }, (_, i) => transport.request<{ path: string }>({ method: 'POST', path: `/p${i}`, body: { big } })));
  assert.deepEqual(concurrent.map((answer) => answer.path), Array.from({ length: 8 }, (_, i) => `/p${i}`));
  transport.close();
  server.close();
});

test('a worker thread reaches an HTTP server of the main thread through its parent port', async () => {
  const http = createServer((request, response) => response.end(`hello from ${request.url}`));
  // The module as this test runs it: TypeScript under tsx, JavaScript from dist/.
  const module = new URL(`./port-socket${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { request } = require('node:http');
     // Under tsx (unit tests from src/) the worker registers its loader first.
     const loader = ${module.endsWith('.ts')} ? import('tsx/esm/api').then(({ register }) => register()) : Promise.resolve();
     loader.then(() => import(${JSON.stringify(module)})).then(({ portConnector }) => {
       const connect = portConnector(parentPort);
       const req = request({ path: '/from-worker', createConnection: () => connect() }, (res) => {
         let body = '';
         res.setEncoding('utf8');
         res.on('data', (chunk) => (body += chunk));
         res.on('end', () => parentPort.postMessage({ type: 'answer', body }));
       });
       req.end();
     });`,
    { eval: true },
  );
  worker.on('message', (message: unknown) => {
    if (isPortConnectMessage(message)) http.emit('connection', portSocketServerEnd(message));
  });
  const answer = await new Promise<{ body: string }>((resolve, reject) => {
    worker.on('message', (message: { type?: string; body: string }) => message.type === 'answer' && resolve(message));
    worker.on('error', reject);
  });
  assert.equal(answer.body, 'hello from /from-worker');
  await worker.terminate();
});
