// kube-scheduler inside `k8ts server`, driven by the real kubectl: binding to fitting nodes,
// upstream's FailedScheduling message and PodScheduled condition, retry when a node appears,
// a second `k8ts scheduler` process for another schedulerName, preemption, and its Lease.
// Nodes are plain Node objects created with kubectl (no agent runs).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { k8tsBin, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
const children: ChildProcess[] = [];

before(async () => {
  cluster = await startCluster();
  await createNode('node-a', { cpu: '2', labels: { disk: 'ssd' } });
  await createNode('node-b', { cpu: '4' });
});
after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await cluster?.destroy();
});

async function createNode(name: string, o: { cpu: string; labels?: Record<string, string> }): Promise<void> {
  const resources = { cpu: o.cpu, memory: '8Gi', pods: '110' };
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(node) });
}

interface PodOptions {
  cpu?: string;
  nodeSelector?: Record<string, string>;
  schedulerName?: string;
  priorityClassName?: string;
}

async function createPod(name: string, o: PodOptions = {}): Promise<void> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: o.cpu ? { requests: { cpu: o.cpu } } : {} }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
      ...(o.priorityClassName ? { priorityClassName: o.priorityClassName } : {}),
    },
  };
  await cluster.ok(['create', '-f', '-'], { input: JSON.stringify(pod) });
}

/** Polls `probe` until it returns a value other than undefined. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A `k8ts scheduler` process; stopped by the test or, at the latest, by after(). */
function startScheduler(args: string[]) {
  const child = spawn(k8tsBin, ['scheduler', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_EXIT_WITH_PARENT: '1' } });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    exited,
    output: () => output,
    async waitForNode(pod: string): Promise<string> {
      try {
        return await waitForNode(pod);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nscheduler output:\n${output}`);
      }
    },
    async stop(): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const nodeOf = (pod: string): Promise<string> => cluster.ok(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']);
const waitForNode = (pod: string): Promise<string> => waitFor(`${pod} to be bound`, async () => (await nodeOf(pod)) || undefined);

test('pods are bound to the nodes that fit them, and -o wide shows the node', async () => {
  await createPod('ssd-pod', { nodeSelector: { disk: 'ssd' } });
  await createPod('cpu-pod', { cpu: '3' });
  assert.equal(await waitForNode('ssd-pod'), 'node-a');
  assert.equal(await waitForNode('cpu-pod'), 'node-b');
  const wide = await cluster.ok(['get', 'pods', 'ssd-pod', 'cpu-pod', '-o', 'wide']);
  assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE/);
  assert.match(wide, /\nssd-pod\s.*\snode-a\s+<none>/);
  assert.match(wide, /\ncpu-pod\s.*\snode-b\s+<none>/);
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=ssd-pod', '-o', 'jsonpath={range .items[*]}{.reason}|{.source.component}|{.message}{"\\n"}{end}']);
  assert.match(events, /^Scheduled\|default-scheduler\|Successfully assigned default\/ssd-pod to node-a$/m);
});

test('an unschedulable pod is PodScheduled=False with upstream\'s message, and is bound once a node fits', async () => {
  await createPod('too-big', { cpu: '3', nodeSelector: { disk: 'ssd' } });
  const message =
    "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.";
  const condition = await waitFor('the PodScheduled condition', async () => {
    const text = await cluster.ok(['get', 'pod', 'too-big', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")]}']);
    return text ? (JSON.parse(text) as { status: string; reason: string; message: string }) : undefined;
  });
  assert.deepEqual([condition.status, condition.reason, condition.message], ['False', 'Unschedulable', message]);
  const described = await waitFor('the FailedScheduling event', async () => {
    const text = await cluster.ok(['describe', 'pod', 'too-big']);
    return text.includes('FailedScheduling') ? text : undefined;
  });
  assert.match(described, /Warning\s+FailedScheduling\s+.*?\s+default-scheduler\s+0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling\./);
  assert.equal(await nodeOf('too-big'), '');

  await createNode('node-c', { cpu: '8', labels: { disk: 'ssd' } });
  assert.equal(await waitForNode('too-big'), 'node-c');
});

test('a pod for another schedulerName waits until a `k8ts scheduler` of that name binds it', async () => {
  await createPod('custom', { schedulerName: 'my-scheduler' });
  // A pod created after it and bound proves the default scheduler has seen both.
  await createPod('after-custom');
  await waitForNode('after-custom');
  assert.equal(await nodeOf('custom'), '');
  assert.equal(await cluster.ok(['get', 'pod', 'custom', '-o', 'jsonpath={.status.conditions}']), '', 'the default scheduler does not touch it');

  const scheduler = startScheduler(['--kubeconfig', cluster.kubeconfig, '--scheduler-name', 'my-scheduler', '--leader-elect=false']);
  await scheduler.waitForNode('custom');
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=custom,reason=Scheduled', '-o', 'jsonpath={.items[*].source.component}']);
  assert.equal(events, 'my-scheduler');
  assert.equal(await scheduler.stop(), 0);
});

test('`k8ts scheduler --config` runs the profiles of a KubeSchedulerConfiguration', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sched-config-'));
  try {
    const configPath = join(dir, 'config.yaml');
    writeFileSync(
      configPath,
      [
        'apiVersion: kubescheduler.config.k8s.io/v1',
        'kind: KubeSchedulerConfiguration',
        'leaderElection:',
        '  leaderElect: false',
        'profiles:',
        '- schedulerName: from-config',
        '  plugins:',
        '    score:',
        '      disabled:',
        '      - name: ImageLocality',
        '',
      ].join('\n'),
    );
    await createPod('configured', { schedulerName: 'from-config' });
    const scheduler = startScheduler(['--kubeconfig', cluster.kubeconfig, '--config', configPath]);
    await scheduler.waitForNode('configured');
    assert.match(scheduler.output(), /profiles: from-config/);
    assert.equal(await scheduler.stop(), 0);

    writeFileSync(configPath, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: x\n  plugins:\n    filter:\n      enabled:\n      - name: NoSuchPlugin\n');
    const bad = startScheduler(['--kubeconfig', cluster.kubeconfig, '--config', configPath]);
    assert.equal(await bad.exited, 1);
    assert.match(bad.output(), /NoSuchPlugin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a high-priority pod preempts a lower-priority one: nominated, victim deleted, then bound', async () => {
  await createNode('node-p', { cpu: '1', labels: { pool: 'preempt' } });
  await cluster.ok(['create', 'priorityclass', 'high', '--value=1000']);
  await createPod('low', { cpu: '1', nodeSelector: { pool: 'preempt' } });
  assert.equal(await waitForNode('low'), 'node-p');
  const lowUid = await cluster.ok(['get', 'pod', 'low', '-o', 'jsonpath={.metadata.uid}']);

  await createPod('high', { cpu: '1', nodeSelector: { pool: 'preempt' }, priorityClassName: 'high' });
  const nominated = await waitFor('the nomination', async () => (await cluster.ok(['get', 'pod', 'high', '-o', 'jsonpath={.status.nominatedNodeName}'])) || undefined);
  assert.equal(nominated, 'node-p');
  const highUid = await cluster.ok(['get', 'pod', 'high', '-o', 'jsonpath={.metadata.uid}']);
  // Bound pods are deleted gracefully; with no kubelet here the victim stays Terminating.
  await waitFor('the victim to be deleted', async () => {
    const result = await cluster.kubectl(['get', 'pod', 'low', '-o', 'jsonpath={.metadata.uid} {.metadata.deletionTimestamp}']);
    if (result.code !== 0) return /NotFound/.test(result.stderr) ? true : undefined;
    const [uid, deletionTimestamp] = result.stdout.split(' ');
    return uid !== lowUid || deletionTimestamp ? true : undefined;
  });
  const preempted = await waitFor('the Preempted event', async () =>
    (await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=low,reason=Preempted', '-o', 'jsonpath={.items[*].message}'])) || undefined,
  );
  assert.equal(preempted, `Preempted by pod ${highUid} on node node-p`);
  const disruption = await cluster.kubectl(['get', 'pod', 'low', '-o', 'jsonpath={.status.conditions[?(@.type=="DisruptionTarget")].reason}']);
  if (disruption.code === 0) assert.equal(disruption.stdout, 'PreemptionByScheduler');
  assert.equal(await nodeOf('high'), '', 'the preemptor waits for the victim to be gone');

  // What the kubelet would do once the victim's containers stopped.
  await cluster.ok(['delete', 'pod', 'low', '--grace-period=0', '--force', '--ignore-not-found']);
  assert.equal(await waitForNode('high'), 'node-p');
});

test('the scheduler leads through the kube-system/kube-scheduler Lease; a standby schedules nothing', async () => {
  const holder = await waitFor('a lease holder', async () => (await cluster.ok(['get', 'lease', '-n', 'kube-system', 'kube-scheduler', '-o', 'jsonpath={.spec.holderIdentity}'])) || undefined);
  const duration = await cluster.ok(['get', 'lease', '-n', 'kube-system', 'kube-scheduler', '-o', 'jsonpath={.spec.leaseDurationSeconds}']);
  assert.equal(duration, '15');

  // A second default scheduler campaigns for the same Lease and stays standby.
  const standby = startScheduler(['--kubeconfig', cluster.kubeconfig]);
  await waitFor('the standby to start', async () => (/started/.test(standby.output()) ? true : undefined));
  for (const name of ['led-1', 'led-2', 'led-3']) await createPod(name);
  for (const name of ['led-1', 'led-2', 'led-3']) await waitForNode(name);
  const instances = await cluster.ok(['get', 'events', '--field-selector', 'reason=Scheduled', '-o', 'jsonpath={range .items[*]}{.involvedObject.name}={.reportingInstance}{"\\n"}{end}']);
  for (const name of ['led-1', 'led-2', 'led-3']) assert.match(instances, new RegExp(`^${name}=${holder}$`, 'm'));
  assert.equal(await cluster.ok(['get', 'lease', '-n', 'kube-system', 'kube-scheduler', '-o', 'jsonpath={.spec.holderIdentity}']), holder);
  assert.equal(await standby.stop(), 0);
});
