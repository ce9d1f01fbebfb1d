import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { Api } from '../api.js';
import { createApiServer } from '../server.js';

/** Enough of a ServerResponse for the handlers: records what they send. */
class RecordedResponse extends EventEmitter {
  statusCode = 0;
  headersSent = false;
  readonly headers: Record<string, unknown> = {};
  body = '';
  readonly done: Promise<void>;
  private finish!: () => void;
  constructor() {
    super();
    this.done = new Promise((resolve) => (this.finish = resolve));
  }
  setHeader(name: string, value: unknown): void {
    this.headers[name.toLowerCase()] = value;
  }
  getHeader(name: string): unknown {
    return this.headers[name.toLowerCase()];
  }
  writeHead(code: number, headers: Record<string, unknown> = {}): this {
    this.statusCode = code;
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }
  end(text = ''): void {
    this.body = text;
    this.finish();
  }
  destroy(): void {
    this.finish();
  }
}

/** The real request listener, fed in-memory requests from a client-certificate admin. */
function inProcessServer() {
  const store = new SqliteStore({ path: ':memory:' });
  const api = new Api({ store, admission: [] });
  const server = createApiServer({ api, tls: { caPem: '', certPem: '', keyPem: '' }, advertisedAddress: () => '127.0.0.1:6443', ready: () => true } as never);
  const socket = { authorized: true, getPeerCertificate: () => ({ subject: { CN: 'admin', O: 'system:masters' } }) };
  const send = async (method: string, url: string, body?: unknown): Promise<RecordedResponse> => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const request = new Readable({ read() {} });
    if (payload) request.push(payload);
    request.push(null);
    const headers = { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
    Object.assign(request, { method, url, socket, headers });
    const response = new RecordedResponse();
    server.server.emit('request', request as unknown as IncomingMessage, response as unknown as ServerResponse);
    await response.done;
    return response;
  };
  const close = async (): Promise<void> => {
    for (const registry of api.allStores()) registry.cache.stop();
    await store.close();
  };
  return { api, send, close };
}

test('create, update and status write responses are the stored object serialised, byte for byte', async () => {
  const { api, send, close } = inProcessServer();
  try {
    const pods = api.storeFor('', 'pods')!;
    const storedJson = (name: string): string => JSON.stringify(pods.cache.get(pods.key('default', name))!.object);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '100m', memory: '64Mi' } } }] } };
    const created = await send('POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.body, storedJson('p'));
    assert.equal(created.headers['content-length'], Buffer.byteLength(created.body));

    const current = JSON.parse(created.body);
    const updated = await send('PUT', '/api/v1/namespaces/default/pods/p', { ...current, metadata: { ...current.metadata, labels: { app: 'api' } } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.body, storedJson('p'));

    const running = JSON.parse(updated.body);
    const status = await send('PUT', '/api/v1/namespaces/default/pods/p/status', { ...running, status: { ...running.status, phase: 'Running' } });
    assert.equal(status.statusCode, 200, status.body);
    assert.equal(status.body, storedJson('p'));
    assert.equal(JSON.parse(status.body).status.phase, 'Running');
    assert.deepEqual(Object.keys(JSON.parse(status.body)), Object.keys(running), 'members keep their order');

    const bound = await send('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(bound.statusCode, 201, bound.body);
    assert.equal(bound.body, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}');
  } finally {
    await close();
  }
});

test('a binding stores the pod with its node and PodScheduled condition, leaving the cached pod it was built from as it was', async () => {
  const { api, send, close } = inProcessServer();
  try {
    const pods = api.storeFor('', 'pods')!;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } };
    assert.equal((await send('POST', '/api/v1/namespaces/default/pods', pod)).statusCode, 201);
    const before = pods.cache.get(pods.key('default', 'p'))!.object;
    const beforeJson = JSON.stringify(before);

    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } };
    assert.equal((await send('POST', '/api/v1/namespaces/default/pods/p/binding', binding)).statusCode, 201);
    assert.equal(JSON.stringify(before), beforeJson, 'the pod the binding started from is unchanged');

    const after = pods.cache.get(pods.key('default', 'p'))!.object as { metadata: { resourceVersion: string }; spec: Record<string, unknown>; status: { conditions: { type: string; status: string; lastTransitionTime?: string }[] } };
    const expected = JSON.parse(beforeJson);
    expected.spec.nodeName = 'n1';
    expected.status.conditions = [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: after.status.conditions[0]!.lastTransitionTime }];
    expected.metadata.resourceVersion = after.metadata.resourceVersion;
    assert.equal(JSON.stringify(after), JSON.stringify(expected), 'the bound pod, member order kept');
    assert.notEqual(after.metadata.resourceVersion, (before.metadata as { resourceVersion: string }).resourceVersion);

    const again = await send('POST', '/api/v1/namespaces/default/pods/p/binding', { ...binding, target: { kind: 'Node', name: 'n2' } });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Operation cannot be fulfilled on pods\/binding \\"p\\": pod p is already assigned to node \\"n1\\"/);
  } finally {
    await close();
  }
});
