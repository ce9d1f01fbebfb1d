// The bytes a request puts on the wire are part of the contract with the API server: the
// transport builds its headers cheaply (one array, computed once), and these tests pin the exact
// request heads node's http client wrote when it was given a headers object.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { loopbackConnector } from './loopback.js';
import { Transport } from './transport.js';

/** A loopback HTTP server that records every request's raw bytes and answers with a small JSON body. */
function recordingServer(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{"ok":true}')) {
  const raw: string[] = [];
  const server = createServer(answer);
  const connect = loopbackConnector((socket) => {
    const index = raw.push('') - 1;
    socket.on('data', (chunk: Buffer) => (raw[index] += chunk.toString('latin1')));
    server.emit('connection', socket);
  });
  return { raw, connect };
}

test('requests carry the same head as before: header order, Host with the port, keep-alive', async () => {
  const { raw, connect } = recordingServer();
  const transport = new Transport({ server: 'https://127.0.0.1:6443/', loopback: connect, userAgent: 'kube-scheduler', bearerToken: 'secret' });
  assert.deepEqual(await transport.request({ method: 'POST', path: '/api/v1/namespaces/default/pods/p/binding', body: { kind: 'Binding' } }), { ok: true });
  await transport.request({ method: 'GET', path: '/api/v1/pods', query: new URLSearchParams({ limit: '500' }) });
  await transport.request({ method: 'PATCH', path: '/api/v1/namespaces/default/events/e', body: { count: 2 }, contentType: 'application/merge-patch+json' });
  transport.close();
  assert.equal(
    raw.join(''),
    'POST /api/v1/namespaces/default/pods/p/binding HTTP/1.1\r\nAccept: application/json\r\nUser-Agent: kube-scheduler\r\nAuthorization: Bearer secret\r\nContent-Type: application/json\r\nContent-Length: 18\r\nHost: 127.0.0.1:6443\r\nConnection: keep-alive\r\n\r\n{"kind":"Binding"}' +
      'GET /api/v1/pods?limit=500 HTTP/1.1\r\nAccept: application/json\r\nUser-Agent: kube-scheduler\r\nAuthorization: Bearer secret\r\nHost: 127.0.0.1:6443\r\nConnection: keep-alive\r\n\r\n' +
      'PATCH /api/v1/namespaces/default/events/e HTTP/1.1\r\nAccept: application/json\r\nUser-Agent: kube-scheduler\r\nAuthorization: Bearer secret\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 11\r\nHost: 127.0.0.1:6443\r\nConnection: keep-alive\r\n\r\n{"count":2}',
  );
});

test('a watch and a server under a path prefix, on an IPv6 address without a port', async () => {
  const { raw, connect } = recordingServer((_req, res) => {
    res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    res.end();
  });
  const transport = new Transport({ server: 'https://[::1]/prefix/', loopback: connect });
  const response = await transport.stream({ path: '/api/v1/pods', query: new URLSearchParams({ watch: 'true' }) }, () => undefined);
  response.resume();
  await new Promise((resolve) => response.on('end', resolve));
  transport.close();
  assert.equal(raw.join(''), 'GET /prefix/api/v1/pods?watch=true HTTP/1.1\r\nAccept: application/json\r\nUser-Agent: k8ts-client\r\nHost: [::1]:443\r\nConnection: keep-alive\r\n\r\n');
});
