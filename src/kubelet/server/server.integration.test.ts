// The kubelet server against a real runtime: a busybox pod on runc with CNI, called over HTTPS
// with client certificates like the API server's. Cleans up its sandbox, bridge and mounts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateCA, issueClientCert, issueServingCert, type CertAndKey } from '../../pki/certs.js';
import { importImages } from '../../runtime/images/import.js';
import { Runtime } from '../../runtime/runtime.js';
import { defaultNetworkList } from '../../runtime/sandbox/cni.js';
import { buildBusyboxLayout } from '../../runtime/testing/busybox-layout.js';
import { startKubeletServer } from './server.js';
import { channel } from './streams/channel.js';
import { runtimeLocator } from './runtime-locator.js';
import type { KubeletServer } from './types.js';
import { connectWebSocket, UpgradeFailedError, type ClientTls } from './websocket/client.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-kubelet-server-'));
const tag = Math.random().toString(36).slice(2, 7);
const bridge = `k8s${tag}`;
const root = join(work, 'runtime');
let runtime: Runtime;
let server: KubeletServer;
let ca: CertAndKey;
let apiClient: ClientTls;
let sandboxId = '';
const containers = new Map<string, string>();

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  const layout = join(work, 'busybox-layout');
  await buildBusyboxLayout(layout);
  const octet = 100 + Math.floor(Math.random() * 100);
  runtime = await Runtime.open({ root, runtime: 'runc', network: defaultNetworkList({ bridge, podCidr: `10.${octet}.7.0/24`, ipamDataDir: join(root, 'ipam') }), netnsPrefix: `k8s-${tag}-` });
  await importImages(runtime.images, layout, { name: 'busybox' });
  const podLabels = { 'io.kubernetes.pod.uid': `${tag}-web`, 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default' };
  sandboxId = await runtime.runPodSandbox({ metadata: { name: 'web', namespace: 'default', uid: `${tag}-web`, attempt: 0 }, hostname: 'web', logDirectory: join(root, 'logs', 'web'), labels: podLabels });
  const start = async (name: string, command: string[], attempt = 0): Promise<string> => {
    const labels = { ...podLabels, 'io.kubernetes.container.name': name };
    const id = await runtime.createContainer(sandboxId, { metadata: { name, attempt }, image: 'busybox', command, logPath: `${name}/${attempt}.log`, labels });
    await runtime.startContainer(id);
    containers.set(name, id);
    return id;
  };
  // A container that crashed once: its first instance's log is the --previous one.
  const first = await start('restarted', ['sh', '-c', 'echo first life; exit 1']);
  await runtime.waitForExit(first, 10_000);
  await start('restarted', ['sh', '-c', 'echo second life; sleep 1000'], 1);
  await start('main', ['sh', '-c', 'echo hello; echo oops >&2; while true; do sleep 1; done']);
  await start('counter', ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; sleep 0.3; done']);
  await start('server', ['sh', '-c', 'while true; do echo pong | nc -l -p 8080; done']);

  ca = await generateCA('kubernetes');
  const serving = await issueServingCert(ca, { commonName: 'kubelet', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const client = await issueClientCert(ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] });
  apiClient = { ca: ca.certPem, cert: client.certPem, key: client.keyPem };
  const locator = runtimeLocator(runtime);
  server = await startKubeletServer({ port: 0, bindAddress: '127.0.0.1', tls: serving, clientCaPem: ca.certPem, authorizedClientCn: 'kube-apiserver-kubelet-client', locator });
});

after(async () => {
  await server?.close();
  if (sandboxId) await runtime.removePodSandbox(sandboxId).catch(() => undefined);
  await runtime?.close();
  execFileSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
  if (readFileSync('/proc/self/mountinfo', 'utf8').includes(join(root, 'ns'))) execFileSync('umount', [join(root, 'ns')]);
  rmSync(work, { recursive: true, force: true });
});

function get(path: string, tls: ClientTls = apiClient): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${server.port}${path}`, tls, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface StreamResult {
  protocol: string;
  stdout: string;
  stderr: string;
  status: { status?: string; reason?: string; details?: { causes?: { reason: string; message: string }[] } };
}

async function stream(path: string, protocols: string[], input?: (send: (id: number, data: Buffer) => void) => void): Promise<StreamResult> {
  const ws = await connectWebSocket(`https://127.0.0.1:${server.port}${path}`, protocols, apiClient);
  const result: StreamResult = { protocol: ws.protocol, stdout: '', stderr: '', status: {} };
  ws.on('message', (message) => {
    const id = message[0];
    const data = message.subarray(1).toString();
    if (id === channel.stdout) result.stdout += data;
    if (id === channel.stderr) result.stderr += data;
    if (id === channel.error) result.status = JSON.parse(data) as StreamResult['status'];
  });
  input?.((id, data) => ws.send(Buffer.concat([Buffer.from([id]), data])));
  await new Promise<void>((resolve) => ws.on('close', resolve));
  return result;
}

describe('kubelet server', () => {
  test('only the API server client certificate is served: none → 401, another CN → 403', async () => {
    assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
    assert.equal((await get('/healthz', { ca: ca.certPem })).status, 401);
    const other = await issueClientCert(ca, { commonName: 'someone' });
    const denied = await get('/healthz', { ca: ca.certPem, cert: other.certPem, key: other.keyPem });
    assert.equal(denied.status, 403);
    assert.match(denied.body, /Forbidden \(user=someone, verb=get, resource=nodes, subresource=proxy\)/);
  });

  test('containerLogs prints both streams, honours tailLines and timestamps, 404s an unknown container', async () => {
    const logs = await until('both lines', async () => {
      const answer = await get('/containerLogs/default/web/main');
      return answer.body.includes('oops') && answer;
    });
    assert.equal(logs.status, 200);
    assert.equal(logs.body, 'hello\noops\n');
    assert.equal((await get('/containerLogs/default/web/main?tailLines=1')).body, 'oops\n');
    assert.match((await get('/containerLogs/default/web/main?timestamps=true')).body, /^\d{4}-\d\d-\d\dT[\d:.]+Z hello\n/);
    assert.equal((await get('/containerLogs/default/web/main?limitBytes=3')).body, 'hel');
    const missing = await get('/containerLogs/default/web/nope');
    assert.equal(missing.status, 404);
    assert.equal((await get('/containerLogs/default/web/main?previous=true')).body, 'previous terminated container "main" in pod "web" not found');
  });

  test('previous reads the log of the instance before the current one', async () => {
    const previous = await until('the first instance logged', async () => {
      const answer = await get('/containerLogs/default/web/restarted?previous=true');
      return answer.body.includes('first') && answer;
    });
    assert.equal(previous.status, 200);
    assert.equal(previous.body, 'first life\n');
    assert.equal((await until('the second instance logged', async () => {
      const answer = await get('/containerLogs/default/web/restarted');
      return answer.body.includes('second') && answer;
    })).body, 'second life\n');
  });

  test('follow streams lines as they come and ends when the container exits', async () => {
    const answer = await get('/containerLogs/default/web/counter?follow=true');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
  });

  test('exec over v5 carries stdout and stderr apart and reports a non-zero exit as NonZeroExitCode', async () => {
    const result = await stream('/exec/default/web/main?command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&stdout=1&stderr=1', ['v4.channel.k8s.io', 'v5.channel.k8s.io']);
    assert.equal(result.protocol, 'v5.channel.k8s.io');
    assert.equal(result.stdout, 'out\n');
    assert.equal(result.stderr, 'err\n');
    assert.equal(result.status.reason, 'NonZeroExitCode');
    assert.deepEqual(result.status.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  test('exec with stdin: the v5 close message ends stdin, the command finishes with Success', async () => {
    const result = await stream('/exec/default/web/main?command=cat&stdin=1&stdout=1&stderr=1', ['v5.channel.k8s.io'], (send) => {
      send(channel.stdin, Buffer.from('typed\n'));
      send(channel.close, Buffer.from([channel.stdin]));
    });
    assert.equal(result.stdout, 'typed\n');
    assert.equal(result.status.status, 'Success');
  });

  test('v4 clients get v4; an exec without streams is a 400', async () => {
    const result = await stream('/exec/default/web/main?command=hostname&stdout=1', ['v4.channel.k8s.io']);
    assert.equal(result.protocol, 'v4.channel.k8s.io');
    assert.equal(result.stdout, 'web\n');
    await assert.rejects(connectWebSocket(`https://127.0.0.1:${server.port}/exec/default/web/main?command=ls`, ['v5.channel.k8s.io'], apiClient), (error: unknown) => {
      assert.ok(error instanceof UpgradeFailedError);
      assert.equal(error.statusCode, 400);
      assert.match(error.body, /you must specify at least 1 of stdin, stdout, stderr/);
      return true;
    });
  });

  test('portForward (v4 channels) reaches the pod IP: port prefix first, then the data', async () => {
    const ws = await connectWebSocket(`https://127.0.0.1:${server.port}/portForward/default/web?ports=8080`, ['v4.channel.k8s.io'], apiClient);
    const data: Buffer[] = [];
    ws.on('message', (message) => {
      if (message[0] === 0) data.push(message.subarray(1));
    });
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping\n')]));
    const answer = await until('pong', () => {
      const all = Buffer.concat(data);
      return all.length > 2 && all;
    });
    assert.equal(answer.readUInt16LE(0), 8080);
    assert.equal(answer.subarray(2).toString(), 'pong\n');
    ws.close();
  });
});
