// The DaemonSet controller on simulated nodes: one pod per eligible node, bound by the default
// scheduler through the node affinity the controller pins it with; a node that joins gets a pod,
// a tainted one without a toleration does not, a node that stops matching loses its pod; rolling
// updates, and the real kubectl's rollout status, history and undo.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { k8tsBin, startCluster, type TestCluster } from './harness.js';


let cluster: TestCluster;
const simProcesses: ChildProcess[] = [];
before(async () => {
  cluster = await startCluster({ extraArgs: ['--sim-nodes', '3'] });
});
after(async () => {
  for (const child of simProcesses) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await cluster?.destroy();
});

const waitFor = (args: string[], expected: RegExp): Promise<string> => cluster.waitFor(args, expected);

/** More simulated nodes from a separate `k8ts sim nodes` process, stopped after the tests. */
function addSimNodes(prefix: string, extra: string[] = []): void {
  const child = spawn(k8tsBin, ['sim', 'nodes', '--kubeconfig', cluster.kubeconfig, '--count', '1', '--name-prefix', prefix, ...extra], {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, K8TS_EXIT_WITH_PARENT: '1' },
  });
  simProcesses.push(child);
}

function daemonSet(name: string, podSpec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'agent', image: 'registry.local/agent:v1' }], ...podSpec } },
    },
  });
}

const podsByNode = (selector: string) => cluster.ok(['get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}']).then((out) => out.split('\n').filter(Boolean).sort().join(' '));

test('one pod per node, pinned by node affinity and bound by the scheduler, with the daemon tolerations', async () => {
  await cluster.ok(['create', '-f', '-'], { input: daemonSet('agent') });
  await cluster.ok(['rollout', 'status', 'daemonset/agent', '--timeout=20s']);
  assert.equal(await podsByNode('app=agent'), 'sim-node-0 sim-node-1 sim-node-2');
  const pods = JSON.parse(await cluster.ok(['get', 'pods', '-l', 'app=agent', '-o', 'json'])).items;
  for (const pod of pods) {
    const term = pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0];
    assert.deepEqual(term, { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] });
    assert.ok(pod.spec.tolerations.some((t: { key: string; effect: string }) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'));
    assert.equal(pod.status.phase, 'Running');
  }
  const ds = JSON.parse(await cluster.ok(['get', 'daemonset', 'agent', '-o', 'json']));
  assert.deepEqual(
    [ds.status.desiredNumberScheduled, ds.status.currentNumberScheduled, ds.status.numberReady, ds.status.numberAvailable, ds.status.updatedNumberScheduled, ds.status.numberMisscheduled],
    [3, 3, 3, 3, 3, 0],
  );
  const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.kind=DaemonSet', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
  assert.match(events, /SuccessfulCreate Created pod: agent-[a-z0-9]{5}/);
});

test('a node that joins gets a pod; a node tainted NoSchedule without a toleration gets none', async () => {
  addSimNodes('extra-');
  addSimNodes('tainted-', ['--taints', 'dedicated=db:NoSchedule']);
  await waitFor(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'], /extra-0.*tainted-0|tainted-0.*extra-0/);
  await waitFor(['get', 'daemonset', 'agent', '-o', 'jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}'], /^4\/4$/);
  assert.equal(await podsByNode('app=agent'), 'extra-0 sim-node-0 sim-node-1 sim-node-2');
});

test('a node that stops matching the nodeSelector loses its pod', async () => {
  await cluster.ok(['label', 'node', 'sim-node-1', 'role=edge']);
  await cluster.ok(['create', '-f', '-'], { input: daemonSet('edge', { nodeSelector: { role: 'edge' } }) });
  await waitFor(['get', 'pods', '-l', 'app=edge', '-o', 'jsonpath={.items[*].status.phase}'], /^Running$/);
  assert.equal(await podsByNode('app=edge'), 'sim-node-1');
  await cluster.ok(['label', 'node', 'sim-node-1', 'role-']);
  await waitFor(['get', 'pods', '-l', 'app=edge', '-o', 'name'], /^$/);
  await waitFor(['get', 'daemonset', 'edge', '-o', 'jsonpath={.status.desiredNumberScheduled}/{.status.currentNumberScheduled}'], /^0\/0$/);
});

test('a rolling update replaces every pod; rollout history lists the revisions and rollout undo goes back', async () => {
  await cluster.ok(['set', 'image', 'daemonset/agent', 'agent=registry.local/agent:v2']);
  await cluster.ok(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
  const images = () => cluster.ok(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {end}']);
  await waitFor(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {end}'], /^(registry\.local\/agent:v2 ){4}$/);
  assert.match(await cluster.ok(['rollout', 'history', 'daemonset/agent']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  assert.match(await cluster.ok(['rollout', 'undo', 'daemonset/agent']), /daemonset.apps\/agent rolled back/);
  await cluster.ok(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
  await waitFor(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].image} {end}'], /^(registry\.local\/agent:v1 ){4}$/);
  assert.match(await images(), /agent:v1/);
  assert.match(await cluster.ok(['rollout', 'history', 'daemonset/agent']), /\n2\s+<none>\n3\s+<none>/);
  const ds = JSON.parse(await cluster.ok(['get', 'daemonset', 'agent', '-o', 'json']));
  assert.equal(ds.status.updatedNumberScheduled, 4);
  assert.equal(ds.status.observedGeneration, ds.metadata.generation);
});
