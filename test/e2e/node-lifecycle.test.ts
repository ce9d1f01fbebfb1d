// The node lifecycle and taint eviction controllers on simulated nodes, with shortened timings:
// a node that stops heart-beating goes Unknown, is tainted unreachable, and its pods are evicted
// once their (admission-defaulted) tolerationSeconds run out; the ReplicaSet replaces them on
// the nodes that are still alive.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually as eventuallyWithin, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startCluster({
    extraArgs: [
      '--sim-nodes', '3',
      // Sim nodes renew their Lease every 10 s: the grace period must be longer.
      '--node-monitor-grace-period', '18s',
      '--node-monitor-period', '1s',
      '--default-not-ready-toleration-seconds', '2',
      '--default-unreachable-toleration-seconds', '2',
    ],
  });
});
after(async () => {
  await cluster?.destroy();
});

const eventually = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => eventuallyWithin(what, check, timeoutMs);

const getJson = (args: string[]): Promise<any> => cluster.json(args);

const readyCondition = (node: any) => node.status?.conditions?.find((c: any) => c.type === 'Ready');

test('a node that stops heart-beating goes Unknown and tainted; its pods are evicted and replaced elsewhere', async () => {
  await eventually('3 Ready nodes', async () => {
    const nodes = await getJson(['nodes']);
    return nodes?.items.filter((n: any) => readyCondition(n)?.status === 'True').length === 3 ? true : undefined;
  });
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
  await cluster.ok(['apply', '-f', '-'], { input: JSON.stringify(rs) });
  const pods = await eventually('3 running pods', async () => {
    const list = await getJson(['pods', '-l', 'app=web']);
    const running = list?.items.filter((p: any) => p.status?.phase === 'Running' && p.spec.nodeName);
    return running?.length === 3 ? running : undefined;
  });
  // DefaultTolerationSeconds admission gave every pod the (test-shortened) tolerations.
  assert.deepEqual(
    pods[0].spec.tolerations.filter((t: any) => t.key?.startsWith('node.kubernetes.io/')).map((t: any) => [t.key, t.effect, t.tolerationSeconds]).sort(),
    [['node.kubernetes.io/not-ready', 'NoExecute', 2], ['node.kubernetes.io/unreachable', 'NoExecute', 2]],
  );
  const victim: string = pods[0].spec.nodeName;
  const doomed = pods.filter((p: any) => p.spec.nodeName === victim).map((p: any) => p.metadata.name);

  await cluster.ok(['annotate', 'node', victim, 'sim.k8ts.io/stop-heartbeat=true']);
  const node = await eventually(`${victim} Unknown and tainted unreachable`, async () => {
    const object = await getJson(['node', victim]);
    const taints = (object?.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);
    return readyCondition(object)?.status === 'Unknown' && taints.includes('node.kubernetes.io/unreachable:NoExecute') ? object : undefined;
  });
  assert.equal(readyCondition(node).reason, 'NodeStatusUnknown');
  assert.equal(readyCondition(node).message, 'Kubelet stopped posting node status.');
  assert.ok(node.spec.taints.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'));
  const table = await cluster.ok(['get', 'node', victim]);
  assert.match(table, new RegExp(`${victim}\\s+NotReady`));

  // Evicted after their 2 s tolerations: deleted, with the DisruptionTarget condition.
  for (const name of doomed) {
    const pod = await eventually(`${name} evicted`, async () => {
      const object = await getJson(['pod', name]);
      if (object === undefined) return { gone: true };
      return object.metadata.deletionTimestamp ? object : undefined;
    });
    if (!pod.gone) {
      const target = pod.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
      assert.equal(target?.reason, 'DeletionByTaintManager');
    }
  }
  const events = await cluster.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}']);
  assert.match(events, new RegExp(`Marking for deletion Pod default/${doomed[0]}`));

  await eventually('3 running replicas on live nodes', async () => {
    const list = await getJson(['pods', '-l', 'app=web']);
    const live = list?.items.filter((p: any) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
    return live?.length === 3 && live.every((p: any) => p.spec.nodeName && p.spec.nodeName !== victim) ? true : undefined;
  });
});
