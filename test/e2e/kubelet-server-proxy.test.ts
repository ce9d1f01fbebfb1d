// The real kubectl through the API server's pods/log, exec, attach and portforward proxy to the
// kubelet server, on a real runtime (runc, CNI, busybox). The node agent's pod workers are left
// out (--disable-agent): this test runs the kubelet server itself on a free port, registers its
// Node, and writes the pod's status as the pod workers would, so the protocol path from kubectl
// to a container is tested on its own. kubectl-logs-exec.test.ts drives the same through the agent.
import * as k8s from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { PassThrough, Writable } from 'node:stream';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startKubeletServer } from '../../src/kubelet/server/index.js';
import { runtimeLocator } from '../../src/kubelet/server/runtime-locator.js';
import { issueKubeletServingCert } from '../../src/kubelet/server/serving-cert.js';
import { kubeletClientUser } from '../../src/pki/cluster-pki.js';
import { importImages } from '../../src/runtime/images/import.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { defaultNetworkList } from '../../src/runtime/sandbox/cni.js';
import { buildBusyboxLayout } from '../../src/runtime/testing/busybox-layout.js';
import type { KubeletServer } from '../../src/kubelet/server/types.js';
import { eventually, kubectlPath, startCluster, type TestCluster } from './harness.js';

const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'k8ts-kubelet-proxy-'));
const root = join(work, 'runtime');
const tag = Math.random().toString(36).slice(2, 7);
const bridge = `k8p${tag}`;
let cluster: TestCluster;
let runtime: Runtime;
let kubelet: KubeletServer;
let sandboxId = '';
let podUid = '';

async function startContainer(podUid: string, name: string, command: string[]): Promise<string> {
  const labels = { 'io.kubernetes.pod.uid': podUid, 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.container.name': name };
  const id = await runtime.createContainer(sandboxId, { metadata: { name, attempt: 0 }, image: 'busybox', command, logPath: `${name}/0.log`, labels });
  await runtime.startContainer(id);
  return id;
}

describe('kubectl logs, exec, attach and port-forward through the API server to the kubelet server', { skip: !isRoot && 'needs root' }, () => {
  before(async () => {
    cluster = await startCluster();
    const layout = join(work, 'busybox-layout');
    await buildBusyboxLayout(layout);
    runtime = await Runtime.open({ root, runtime: 'runc', network: defaultNetworkList({ bridge, podCidr: `10.${100 + Math.floor(Math.random() * 100)}.9.0/24`, ipamDataDir: join(root, 'ipam') }), netnsPrefix: `k8p-${tag}-` });
    await importImages(runtime.images, layout, { name: 'busybox' });

    const tls = join(cluster.dataDir, 'tls');
    const ca = { certPem: readFileSync(join(tls, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(tls, 'ca.key'), 'utf8') };
    kubelet = await startKubeletServer({
      port: 0,
      bindAddress: '127.0.0.1',
      tls: await issueKubeletServingCert(ca, { nodeName: 'proxy-node', addresses: ['127.0.0.1'] }),
      clientCaPem: ca.certPem,
      authorizedClientCn: kubeletClientUser,
      locator: runtimeLocator(runtime),
    });
    await cluster.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'proxy-node' } }) });
    const nodeStatus = { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'proxy-node' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } };
    await cluster.ok(['patch', 'node', 'proxy-node', '--subresource=status', '--type=merge', '-p', JSON.stringify(nodeStatus)]);

    const containers = ['main', 'counter', 'server', 'ticker'].map((name) => ({ name, image: 'busybox' }));
    await cluster.ok(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'proxy-node', containers } }) });
    const uid = podUid = (await cluster.ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.uid}'])).trim();
    sandboxId = await runtime.runPodSandbox({ metadata: { name: 'web', namespace: 'default', uid, attempt: 0 }, hostname: 'web', logDirectory: join(root, 'logs', 'web'), labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default' } });
    await startContainer(uid, 'main', ['sh', '-c', 'echo hello; echo oops >&2; while true; do sleep 1; done']);
    await startContainer(uid, 'counter', ['sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 0.5; done']);
    await startContainer(uid, 'server', ['sh', '-c', 'while true; do echo pong | nc -l -p 8080; done']);
    const running = { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } };
    const podStatus = {
      status: {
        phase: 'Running',
        podIP: runtime.podSandboxStatus(sandboxId).ip,
        containerStatuses: containers.map((c) => ({ name: c.name, image: 'busybox', imageID: '', ready: true, restartCount: 0, started: true, state: running, containerID: `containerd://${c.name}` })),
      },
    };
    await cluster.ok(['patch', 'pod', 'web', '--subresource=status', '--type=merge', '-p', JSON.stringify(podStatus)]);
  });

  after(async () => {
    await kubelet?.close();
    if (sandboxId) await runtime.removePodSandbox(sandboxId).catch(() => undefined);
    await runtime?.close();
    try {
      execFileSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
    } catch {
      // never created
    }
    if (readFileSync('/proc/self/mountinfo', 'utf8').includes(join(root, 'ns'))) execFileSync('umount', [join(root, 'ns')]);
    await cluster?.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  test('kubectl logs prints the container log; --tail and a missing -c behave as upstream', async () => {
    const logs = await eventually('logs', async () => {
      const out = await cluster.ok(['logs', 'web', '-c', 'main']);
      return out.includes('oops') ? out : undefined;
    });
    // stdout and stderr reach the log file through separate pipes, in either order.
    assert.deepEqual(logs.trim().split('\n').sort(), ['hello', 'oops']);
    assert.equal(await cluster.ok(['logs', 'web', '-c', 'main', '--tail=1']), `${logs.trim().split('\n')[1]}\n`);
    const raw = await cluster.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/web/log']);
    assert.match(raw.stderr, /a container name must be specified for pod web, choose one of: \[main counter server ticker\]/);
    const previous = await cluster.kubectl(['logs', 'web', '-c', 'main', '--previous']);
    assert.notEqual(previous.code, 0);
    assert.match(previous.stderr, /Error from server \(BadRequest\): previous terminated container "main" in pod "web" not found/);
  });

  test('nodes/proxy reaches the kubelet paths', async () => {
    assert.equal(await cluster.ok(['get', '--raw', '/api/v1/nodes/proxy-node/proxy/healthz']), 'ok');
  });

  test('kubectl logs -f follows until the container exits', async () => {
    assert.equal(await cluster.ok(['logs', '-f', 'web', '-c', 'counter']), 'line 1\nline 2\nline 3\n');
  });

  test('kubectl exec reports the command exit code and carries stdin', async () => {
    const failed = await cluster.kubectl(['exec', 'web', '-c', 'main', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, 'out\n');
    assert.match(failed.stderr, /err\n/);
    assert.match(failed.stderr, /command terminated with exit code 3/);
    const echoed = await cluster.ok(['exec', '-i', 'web', '-c', 'main', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'shout\n' });
    assert.equal(echoed, 'SHOUT\n');
  });

  test('kubectl 1.29 execs over SPDY/3.1 (no WebSocket): exit code and stdin as well', async () => {
    const failed = await cluster.kubectl(['exec', 'web', '-c', 'main', '--', 'sh', '-c', 'echo out; exit 4'], { minor: 29 });
    assert.equal(failed.code, 4, failed.stderr);
    assert.equal(failed.stdout, 'out\n');
    assert.equal(await cluster.ok(['exec', '-i', 'web', '-c', 'main', '--', 'cat'], { minor: 29, input: 'old client\n' }), 'old client\n');
  });

  test('client-node Exec gets output and the NonZeroExitCode status; PortForward uses the v4 channel protocol', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    let stdout = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((stdout += chunk.toString()), done()) });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'web', 'main', ['sh', '-c', 'echo from client-node; exit 2'], sink, null, null, false, resolve).catch(reject);
    });
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '2' }]);
    assert.equal(stdout, 'from client-node\n');

    // The pod's `nc -l` restarts between connections: a forward that lands in that gap is refused,
    // so a stream that brings no answer is retried with a new one, as the kubectl tests below do.
    let forwarded = '';
    for (let attempt = 1; ; attempt++) {
      let received = '';
      const output = new Writable({ write: (chunk: Buffer, _e, done) => ((received += chunk.toString()), done()) });
      const input = new PassThrough();
      const socket = await new k8s.PortForward(kc).portForward('default', 'web', [8080], output, null, input);
      input.write('ping\n');
      try {
        await eventually('pong through client-node', async () => (received.includes('pong') ? true : undefined), 5_000);
        forwarded = received;
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      } finally {
        if (typeof socket !== 'function') socket.close();
      }
    }
    assert.equal(forwarded, 'pong\n');
  });

  test('kubectl cp copies a file out of the container with tar', async () => {
    await cluster.ok(['exec', 'web', '-c', 'main', '--', 'sh', '-c', 'echo copied > /tmp/file.txt']);
    const target = join(work, 'file.txt');
    await cluster.ok(['cp', 'web:/tmp/file.txt', target, '-c', 'main']);
    assert.equal(readFileSync(target, 'utf8'), 'copied\n');
  });

  for (const minor of [32, 29]) {
    test(`kubectl 1.${minor} port-forward reaches the pod port (${minor >= 31 ? 'SPDY in a WebSocket' : 'SPDY upgrade'})`, async () => {
      const child = spawn(kubectlPath(minor), ['--kubeconfig', cluster.kubeconfig, 'port-forward', 'pod/web', ':8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const localPort = await eventually('port-forward to listen', async () => {
          const match = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(output);
          return match ? Number(match[1]) : undefined;
        }, 20_000);
        const answer = await new Promise<string>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: localPort }, () => socket.write('ping\n'));
          let text = '';
          socket.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('pong')) {
              socket.destroy();
              resolve(text);
            }
          });
          socket.on('error', (e) => setTimeout(() => reject(new Error(e.message + output)), 1000));
          setTimeout(() => reject(new Error(`no answer through port-forward: ${output}`)), 15_000).unref();
        });
        assert.equal(answer, 'pong\n');
      } finally {
        child.kill('SIGTERM');
      }
    });
  }

  test('kubectl attach shows what the container writes from then on, until it exits', async () => {
    const notYet = await cluster.kubectl(['exec', 'web', '-c', 'ticker', '--', 'true']);
    assert.equal(notYet.code, 1);
    assert.match(notYet.stderr, /Error from server \(NotFound\): container not found \("ticker"\)/);
    // Started now, writing only after a pause, so that attach sees its output from the beginning.
    await startContainer(podUid, 'ticker', ['sh', '-c', 'sleep 2; for i in 1 2 3; do echo tick $i; sleep 0.3; done']);
    const result = await cluster.kubectl(['attach', 'web', '-c', 'ticker']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'tick 1\ntick 2\ntick 3\n');
  });
});
