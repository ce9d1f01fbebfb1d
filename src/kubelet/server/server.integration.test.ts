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
import { constants, createDeflate } from 'node:zlib';
import { startKubeletServer } from './server.js';
import { spdyDictionary } from './spdy/dictionary.js';
import { encodeControlFrame, encodeDataFrame, encodeHeaderBlock, frameType, SpdyFrameDecoder, u32 } from './spdy/frames.js';
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
    // stdout and stderr reach the log file through separate pipes, in either order.
    const lines = logs.body.trim().split('\n');
    assert.deepEqual([...lines].sort(), ['hello', 'oops']);
    assert.equal((await get('/containerLogs/default/web/main?tailLines=1')).body, `${lines[1]}\n`);
    assert.match((await get('/containerLogs/default/web/main?timestamps=true')).body, /^\d{4}-\d\d-\d\dT[\d:.]+Z (hello|oops)\n/);
    assert.equal((await get('/containerLogs/default/web/main?limitBytes=3')).body, lines[0]!.slice(0, 3));
    const missing = await get('/containerLogs/default/web/nope');
    assert.equal(missing.status, 404);
    assert.equal((await get('/containerLogs/default/web/main?previous=true')).body, 'previous terminated container "main" in pod "web" not found');
  });

  test('stats/summary and metrics/resource report the running containers from their cgroups', async () => {
    const summary = JSON.parse((await get('/stats/summary')).body) as { node: { memory: { workingSetBytes: number } }; pods: { podRef: { name: string }; containers: { name: string; memory: { workingSetBytes: number }; cpu: { usageCoreNanoSeconds: number } }[] }[] };
    assert.ok(summary.node.memory.workingSetBytes > 0);
    const web = summary.pods.find((p) => p.podRef.name === 'web');
    assert.ok(web, 'the pod is listed');
    const main = web.containers.find((c) => c.name === 'main');
    assert.ok(main && main.memory.workingSetBytes > 0, 'main has memory usage');
    const metrics = (await get('/metrics/resource')).body;
    assert.match(metrics, /^container_memory_working_set_bytes\{container="main",namespace="default",pod="web"\} \d+ \d+$/m);
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

  test('exec with a TTY runs the command on a terminal, stderr merged into stdout', async () => {
    const result = await stream('/exec/default/web/main?command=sh&command=-c&command=tty%3B%20echo%20err%20%3E%262&stdout=1&stderr=1&tty=1', ['v5.channel.k8s.io']);
    assert.match(result.stdout, /^\/dev\/pts\/\d+\r\nerr\r\n$/);
    assert.equal(result.stderr, '');
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

  test('portForward as kubectl 1.32 does it: SPDY/3.1 tunnelled in a WebSocket, error and data streams per connection', async () => {
    const ws = await connectWebSocket(`https://127.0.0.1:${server.port}/portForward/default/web`, ['SPDY/3.1+portforward.k8s.io'], apiClient);
    assert.equal(ws.protocol, 'SPDY/3.1+portforward.k8s.io');
    // Header blocks compressed as Go's zlib writer does: one stream, sync-flushed per block.
    const deflate = createDeflate({ dictionary: spdyDictionary });
    const pending: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => pending.push(chunk));
    const compress = (headers: Record<string, string>): Promise<Buffer> =>
      new Promise((resolve) => {
        deflate.write(encodeHeaderBlock(headers));
        deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(pending.splice(0))));
      });
    const syn = async (id: number, headers: Record<string, string>): Promise<Buffer> => encodeControlFrame(frameType.synStream, 0, Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), await compress(headers)]));
    const decoder = new SpdyFrameDecoder();
    const replies: number[] = [];
    let data = '';
    ws.on('message', (message) => {
      for (const frame of decoder.push(message)) {
        if (frame.kind === 'control' && frame.type === frameType.synReply) replies.push(frame.payload.readUInt32BE(0));
        if (frame.kind === 'data' && frame.streamId === 3) data += frame.payload.toString();
      }
    });
    ws.send(await syn(1, { streamtype: 'error', port: '8080', requestid: '0' }));
    ws.send(await syn(3, { streamtype: 'data', port: '8080', requestid: '0' }));
    ws.send(encodeDataFrame(3, 0, Buffer.from('ping\n')));
    await until('pong over SPDY', () => data.includes('pong'));
    assert.deepEqual(replies, [1, 3]);
    assert.equal(data, 'pong\n');
    deflate.destroy();
    ws.close();
  });
});
