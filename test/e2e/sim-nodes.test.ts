// Simulated nodes (src/sim): `k8ts server --sim-nodes N` and `k8ts sim nodes` register kwok-like
// Nodes that the real kubectl sees Ready, and run the pods bound to them: Running with an address
// from the node's pod CIDR, exits and restarts per restartPolicy, and deletions that finish.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { k8tsBin, startCluster, type TestCluster } from './harness.js';

/** Pod changes the agent makes within a second or two; restarts and exits take run-seconds more. */

let cluster: TestCluster;
const agents: ChildProcess[] = [];
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '3'] });
});
after(async () => {
  for (const agent of agents) {
    if (agent.exitCode === null && agent.signalCode === null) {
      const exited = new Promise((resolve) => agent.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
  }
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp): Promise<string> => cluster.waitFor(args, expected);

function pod(name: string, node: string, options: { restartPolicy?: string; annotations?: Record<string, string> } = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: options.annotations ?? {} },
    spec: { nodeName: node, restartPolicy: options.restartPolicy ?? 'Always', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'registry.local/app:v1' }] },
  });
}

test('--sim-nodes 3: kubectl get nodes shows three Ready nodes with the agent role and kubelet version', async () => {
  const out = await cluster.ok(['get', 'nodes', '--no-headers']);
  const rows = out.trim().split('\n').map((line) => line.split(/\s+/));
  assert.deepEqual(rows.map((r) => r[0]), ['sim-node-0', 'sim-node-1', 'sim-node-2']);
  for (const row of rows) {
    assert.equal(row[1], 'Ready');
    assert.equal(row[2], 'agent');
    assert.equal(row[4], 'v1.32.0');
  }
  const cidrs = (await cluster.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).split(' ');
  assert.equal(new Set(cidrs).size, 3);
  const ready = JSON.parse(await cluster.ok(['get', 'node', 'sim-node-0', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}'])) as Record<string, string>;
  assert.equal(ready.reason, 'KubeletReady');
  assert.equal(ready.message, 'kubelet is posting ready status');
  // Every node renews a Lease in kube-node-lease (spread over the 10 s renew interval).
  await waitFor(['get', 'leases', '-n', 'kube-node-lease', '-o', 'jsonpath={.items[*].spec.holderIdentity}'], /sim-node-0 sim-node-1 sim-node-2/);
});

test('a pod bound to a sim node runs with an IP from the node\'s podCIDR, and kubectl wait sees it Ready', async () => {
  await cluster.ok(['create', '-f', '-'], { input: pod('web', 'sim-node-1') });
  await cluster.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=20s']);
  const [phase, podIP, hostIP] = (await cluster.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.phase} {.status.podIP} {.status.hostIP}'])).split(' ');
  assert.equal(phase, 'Running');
  const cidr = await cluster.ok(['get', 'node', 'sim-node-1', '-o', 'jsonpath={.spec.podCIDR}']);
  const prefix = cidr.replace(/\.0\/24$/, '.');
  assert.ok(podIP?.startsWith(prefix), `${podIP} is not in ${cidr}`);
  assert.equal(hostIP, `${prefix}1`);
  const container = await cluster.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[0].ready} {.status.containerStatuses[0].containerID}']);
  assert.match(container, /^true sim:\/\/[0-9a-f]{64}$/);
  const wide = await cluster.ok(['get', 'pod', 'web', '-o', 'wide', '--no-headers']);
  assert.match(wide, /web\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+sim-node-1/);
});

test('run-seconds with restartPolicy Never ends Succeeded for exit code 0 and Failed for a non-zero one', async () => {
  await cluster.ok(['create', '-f', '-'], { input: pod('ok', 'sim-node-0', { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/run-seconds': '1' } }) });
  await cluster.ok(['create', '-f', '-'], { input: pod('bad', 'sim-node-2', { restartPolicy: 'Never', annotations: { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '3' } }) });
  await waitFor(['get', 'pod', 'ok', '-o', 'jsonpath={.status.phase}'], /^Succeeded$/);
  await waitFor(['get', 'pod', 'bad', '-o', 'jsonpath={.status.phase}'], /^Failed$/);
  assert.equal(await cluster.ok(['get', 'pod', 'ok', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.reason}']), 'Completed');
  assert.equal(await cluster.ok(['get', 'pod', 'bad', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}']), '3 Error');
  const table = await cluster.ok(['get', 'pods', 'ok', 'bad', '--no-headers']);
  assert.match(table, /^bad\s+0\/1\s+Error\s/m);
  assert.match(table, /^ok\s+0\/1\s+Completed\s/m);
});

test('restartPolicy OnFailure restarts a failed container: restartCount 1, running again, lastState terminated', async () => {
  await cluster.ok(['create', '-f', '-'], { input: pod('retry', 'sim-node-0', { restartPolicy: 'OnFailure', annotations: { 'sim.k8ts.io/run-seconds': '1', 'sim.k8ts.io/exit-code': '1' } }) });
  const out = await waitFor(['get', 'pod', 'retry', '-o', 'jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.phase}'], /^[1-9]\d* 1 Running$/);
  assert.match(out, /Running$/);
});

test('not-ready keeps a running pod unready until the annotation is removed', async () => {
  await cluster.ok(['create', '-f', '-'], { input: pod('slow', 'sim-node-2', { annotations: { 'sim.k8ts.io/not-ready': 'true' } }) });
  await waitFor(['get', 'pod', 'slow', '-o', 'jsonpath={.status.phase} {.status.conditions[?(@.type=="Ready")].status}'], /^Running False$/);
  await cluster.ok(['annotate', 'pod', 'slow', 'sim.k8ts.io/not-ready-']);
  await cluster.ok(['wait', '--for=condition=Ready', 'pod/slow', '--timeout=20s']);
});

test('stop-heartbeat freezes a node\'s kubelet: its pods stay Pending until the annotation is removed', async () => {
  await cluster.ok(['annotate', 'node', 'sim-node-2', 'sim.k8ts.io/stop-heartbeat=true']);
  // The agent learns of the annotation through its node watch.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await cluster.ok(['create', '-f', '-'], { input: pod('frozen', 'sim-node-2') });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.equal(await cluster.ok(['get', 'pod', 'frozen', '-o', 'jsonpath={.status.phase}']), 'Pending');
  await cluster.ok(['annotate', 'node', 'sim-node-2', 'sim.k8ts.io/stop-heartbeat-']);
  await cluster.ok(['wait', '--for=condition=Ready', 'pod/frozen', '--timeout=20s']);
});

test('deleting a running pod finishes: the agent stops it and removes it, and its IP is handed out again', async () => {
  const ip = await cluster.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
  const started = Date.now();
  await cluster.ok(['delete', 'pod', 'web', '--timeout=20s']);
  assert.ok(Date.now() - started < 15_000, 'deletion took longer than the grace period would explain');
  assert.match((await cluster.kubectl(['get', 'pod', 'web'])).stderr, /NotFound/);
  await cluster.ok(['create', '-f', '-'], { input: pod('web2', 'sim-node-1') });
  await waitFor(['get', 'pod', 'web2', '-o', 'jsonpath={.status.podIP}'], new RegExp(`^${ip.replace(/\./g, '\\.')}$`));
});

/** Starts `k8ts sim nodes` as its own process; stop() sends SIGTERM and resolves with the exit code. */
function startAgent(extraArgs: string[]): { stop(): Promise<number | null>; output(): string } {
  const agent = spawn(
    k8tsBin,
    ['sim', 'nodes', '--kubeconfig', cluster.kubeconfig, '--count', '2', '--name-prefix', 'big-', '--cpu', '32', '--memory', '64Gi', '--pods', '200', '--labels', 'zone=a,tier=batch', '--taints', 'dedicated=batch:NoSchedule', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_EXIT_WITH_PARENT: '1' } },
  );
  agents.push(agent);
  let output = '';
  agent.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  agent.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
  return {
    stop: () => {
      agent.kill('SIGTERM');
      return exited;
    },
    output: () => output,
  };
}

test('k8ts sim nodes --count 2 in its own process adds nodes with custom capacity, labels and taints; restarted, it adopts them', async () => {
  const first = startAgent([]);
  await waitFor(['get', 'nodes', '-l', 'zone=a', '--no-headers'], /big-0\s+Ready[\s\S]*big-1\s+Ready/);
  const node = JSON.parse(await cluster.ok(['get', 'node', 'big-1', '-o', 'json'])) as { metadata: { labels: Record<string, string> }; spec: { podCIDR: string; taints: unknown[] }; status: { capacity: Record<string, string> } };
  assert.equal(node.status.capacity.cpu, '32');
  assert.equal(node.status.capacity.memory, '64Gi');
  assert.equal(node.status.capacity.pods, '200');
  assert.equal(node.metadata.labels.tier, 'batch');
  assert.deepEqual(node.spec.taints, [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
  // Its pod CIDR does not collide with the server's own simulated nodes.
  const cidrs = (await cluster.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).split(' ');
  assert.equal(new Set(cidrs).size, 5);
  // It runs the pods bound to its nodes; the server's agent leaves them alone.
  await cluster.ok(['create', '-f', '-'], { input: pod('on-big', 'big-0') });
  await cluster.ok(['wait', '--for=condition=Ready', 'pod/on-big', '--timeout=20s']);
  const onBigIp = await cluster.ok(['get', 'pod', 'on-big', '-o', 'jsonpath={.status.podIP}']);
  const big0Cidr = await cluster.ok(['get', 'node', 'big-0', '-o', 'jsonpath={.spec.podCIDR}']);
  assert.ok(onBigIp.startsWith(big0Cidr.replace(/0\/24$/, '')), `${onBigIp} is not in ${big0Cidr}`);

  // Stopped without --delete-on-exit, it leaves its nodes; started again, it adopts them and their pods.
  assert.equal(await first.stop(), 0, first.output());
  assert.match(await cluster.ok(['get', 'nodes', '--no-headers']), /big-1/);
  const second = startAgent(['--delete-on-exit']);
  await cluster.ok(['create', '-f', '-'], { input: pod('on-big-2', 'big-0') });
  await cluster.ok(['wait', '--for=condition=Ready', 'pod/on-big-2', '--timeout=20s']);
  assert.equal(await cluster.ok(['get', 'node', 'big-0', '-o', 'jsonpath={.spec.podCIDR}']), big0Cidr);
  assert.equal(await cluster.ok(['get', 'pod', 'on-big', '-o', 'jsonpath={.status.podIP} {.status.phase}']), `${onBigIp} Running`);
  assert.notEqual(await cluster.ok(['get', 'pod', 'on-big-2', '-o', 'jsonpath={.status.podIP}']), onBigIp);

  // --delete-on-exit removes its nodes when it stops.
  assert.equal(await second.stop(), 0, second.output());
  await waitFor(['get', 'nodes', '--no-headers'], /^(?![\s\S]*big-)[\s\S]*sim-node-2/);
});
