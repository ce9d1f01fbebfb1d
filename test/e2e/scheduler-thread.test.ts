// `k8ts server --scheduler-thread=true|false`: the scheduler in a worker thread of its own (the
// default with 2 or more CPUs) or on the API server's thread behaves the same to a user: pods are
// bound with upstream's Scheduled event, the kube-scheduler Lease is held, and the server stops
// promptly. Both modes run here whatever this machine's CPU count picks by default.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCluster } from './harness.js';

const node = (name: string): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });

for (const mode of ['true', 'false']) {
  test(`--scheduler-thread=${mode}: pods are bound with a Scheduled event, the Lease is held, and the server stops promptly`, async () => {
    const cluster = await startCluster({ extraArgs: ['--scheduler-thread=' + mode, '--disable-controller-manager'] });
    try {
      await cluster.ok(['create', '-f', '-'], { input: node('thread-node') });
      for (let i = 0; i < 20; i++) await cluster.ok(['run', `p${i}`, '--image=registry.k8s.io/pause:3.10', '--restart=Never']);
      await cluster.waitFor(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{" "}{end}'], /^(thread-node ){20}$/, 20_000);
      const events = await cluster.ok(['get', 'events', '--field-selector', 'involvedObject.name=p7', '-o', 'jsonpath={.items[*].message}']);
      assert.equal(events, 'Successfully assigned default/p7 to thread-node');
      assert.match(await cluster.ok(['get', 'lease', '-n', 'kube-system', 'kube-scheduler', '-o', 'jsonpath={.spec.holderIdentity}']), /.+/);
      const stoppingAt = performance.now();
      assert.equal(await cluster.stop('SIGTERM'), 0);
      assert.ok(performance.now() - stoppingAt < 5_000, `the server took ${Math.round(performance.now() - stoppingAt)} ms to stop`);
      assert.doesNotMatch(cluster.output(), /scheduler thread (failed|exited)/);
    } finally {
      await cluster.destroy();
    }
  });
}
