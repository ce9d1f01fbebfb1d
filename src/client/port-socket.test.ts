import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
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

/**
 * A worker thread running `body` with `connect` (a port connector to this thread), node's
 * `request` and `parentPort` in scope; this thread's `http` server answers its connections.
 */
function workerWith(http: Server, body: string): Worker {
  // The module as this test runs it: TypeScript under tsx (whose loader the thread must register), JavaScript from dist/.
  const module = new URL(`./port-socket${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { request } = require('node:http');
     const loader = ${module.endsWith('.ts')} ? import('tsx/esm/api').then(({ register }) => register()) : Promise.resolve();
     loader.then(() => import(${JSON.stringify(module)})).then(async ({ portConnector }) => {
       const connect = portConnector(parentPort);
       ${body}
     });`,
    { eval: true },
  );
  worker.on('message', (message: unknown) => {
    if (isPortConnectMessage(message)) http.emit('connection', portSocketServerEnd(message));
  });
  return worker;
}

/** The first message of type 'done' the worker posts. */
function doneMessage<T>(worker: Worker, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the worker within ${timeoutMs} ms`)), timeoutMs);
    worker.on('message', (message: { type?: string }) => message.type === 'done' && (clearTimeout(timer), resolve(message as T)));
    worker.on('error', reject);
  });
}

test('a worker thread reaches an HTTP server of the main thread through its parent port', async () => {
  const http = createServer((request, response) => response.end(`hello from ${request.url}`));
  const worker = workerWith(
    http,
    `request({ path: '/from-worker', createConnection: () => connect() }, (res) => {
       let body = '';
       res.setEncoding('utf8');
       res.on('data', (chunk) => (body += chunk));
       res.on('end', () => parentPort.postMessage({ type: 'done', body }));
     }).end();`,
  );
  assert.equal((await doneMessage<{ body: string }>(worker, 10_000)).body, 'hello from /from-worker');
  await worker.terminate();
});

test('heavy traffic both ways across a thread completes: a long stream read with pauses beside many concurrent uploads', async () => {
  const streamBytes = 8_000_000;
  const http = createServer((request, response) => {
    if (request.url === '/stream') {
      response.writeHead(200);
      let sent = 0;
      const send = (): void => {
        while (sent < streamBytes) {
          const size = 1 + Math.floor(Math.random() * 200_000);
          sent += size;
          if (!response.write(Buffer.alloc(size, 's'))) return void response.once('drain', send);
        }
        response.end();
      };
      return send();
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => response.end(String(Buffer.concat(chunks).length)));
  });
  const worker = workerWith(
    http,
    `const stream = new Promise((resolve) => request({ path: '/stream', createConnection: () => connect() }, (res) => {
       let received = 0;
       res.on('data', (chunk) => {
         received += chunk.length;
         // A reader that sometimes stops: the server must be held back, then resume.
         if (Math.random() < 0.05) { res.pause(); setTimeout(() => res.resume(), 5); }
       });
       res.on('end', () => resolve(received));
     }).end());
     const uploads = Promise.all(Array.from({ length: 100 }, () => new Promise((resolve, reject) => {
       const body = Buffer.alloc(Math.floor(Math.random() * 300_000), 'u');
       const req = request({ path: '/upload', method: 'POST', createConnection: () => connect(), headers: { 'content-length': body.length } }, (res) => {
         let answer = '';
         res.on('data', (chunk) => (answer += chunk));
         res.on('end', () => resolve(Number(answer) === body.length));
       });
       req.on('error', reject);
       req.end(body);
     })));
     const [streamed, uploaded] = await Promise.all([stream, uploads]);
     parentPort.postMessage({ type: 'done', streamed, uploaded: uploaded.every(Boolean) });`,
  );
  const result = await doneMessage<{ streamed: number; uploaded: boolean }>(worker, 30_000);
  assert.ok(result.streamed >= streamBytes, `streamed ${result.streamed} bytes`);
  assert.equal(result.uploaded, true);
  await worker.terminate();
});
