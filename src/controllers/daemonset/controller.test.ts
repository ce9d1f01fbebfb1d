import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonSet, node, setup } from './harness.test-support.js';

test('one pod per node, pinned by node affinity, with the daemon tolerations and revision labels', async () => {
  const h = setup({ daemonSets: [daemonSet('agent')], nodes: [node('a'), node('b'), node('c')] });
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()).sort(), ['a', 'b', 'c']);
  const pod = h.allPods()[0]!;
  assert.equal(pod.spec?.nodeName, undefined, 'the scheduler binds it');
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  assert.equal(terms?.length, 1);
  assert.deepEqual(terms?.[0]?.matchFields?.[0]?.key, 'metadata.name');
  assert.deepEqual(
    pod.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'],
  );
  const revision = h.stores.revisions.list()[0]!;
  assert.equal(pod.metadata?.labels?.['controller-revision-hash'], revision.metadata?.labels?.['controller-revision-hash']);
  assert.equal(revision.metadata?.name, `agent-${revision.metadata?.labels?.['controller-revision-hash']}`);
  assert.equal(pod.metadata?.labels?.['pod-template-generation'], '1');
  assert.equal(pod.metadata?.generateName, 'agent-');
  assert.ok(h.recorder.events.every((event) => /^Normal SuccessfulCreate Created pod: agent-/.test(event)));
  const status = h.ds('agent').status!;
  assert.equal(status.desiredNumberScheduled, 3);
  assert.equal(status.currentNumberScheduled, 3);
  assert.equal(status.numberReady, 0);
  assert.equal(status.numberUnavailable, 3);
  assert.equal(status.observedGeneration, 1);

  h.runAll();
  await h.sync('agent');
  const ready = h.ds('agent').status!;
  assert.equal(ready.numberReady, 3);
  assert.equal(ready.numberAvailable, 3);
  assert.equal(ready.updatedNumberScheduled, 3);
  assert.equal(ready.numberUnavailable, 0);
});

test('nodeSelector and untolerated taints keep pods off a node; a toleration lets them on', async () => {
  const h = setup({
    daemonSets: [daemonSet('agent', { template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'c', image: 'agent:1' }] } } })],
    nodes: [node('a', { labels: { role: 'edge' } }), node('b'), node('c', { labels: { role: 'edge' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })],
  });
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()), ['a']);
  assert.equal(h.ds('agent').status?.desiredNumberScheduled, 1);

  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }]));
  await h.sync('agent');
  // The template changed, so a's unavailable old pod is replaced at once as well.
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()).sort(), ['a', 'c']);
});

test('a new node gets a pod; a node that stops qualifying loses it and the pod counts as misscheduled until then', async () => {
  const h = setup({ daemonSets: [daemonSet('agent', { template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { run: 'yes' }, containers: [{ name: 'c', image: 'agent:1' }] } } })], nodes: [node('a', { labels: { run: 'yes' } })] });
  await h.sync('agent');
  h.stores.nodes.upsert(node('b', { labels: { run: 'yes' } }));
  h.nodesInformer.handlers[0]!.onAdd!(h.stores.nodes.get('b')!, false);
  assert.equal(h.controller.queue.len(), 1, 'the new node enqueues the DaemonSet');
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()).sort(), ['a', 'b']);
  h.runAll();
  h.stores.nodes.upsert(node('b'));
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()), ['a']);
  assert.ok(h.recorder.events.some((event) => /^Normal SuccessfulDelete Deleted pod: agent-/.test(event)));
});

test('a NoExecute taint evicts the daemon pod; a NoSchedule taint added later keeps the running one', async () => {
  const h = setup({ daemonSets: [daemonSet('agent')], nodes: [node('a'), node('b')] });
  await h.sync('agent');
  h.runAll();
  h.stores.nodes.upsert(node('a', { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] }));
  h.stores.nodes.upsert(node('b', { taints: [{ key: 'maintenance', effect: 'NoExecute' }] }));
  await h.sync('agent');
  assert.deepEqual(Object.keys(h.podsByNode()), ['a']);
  assert.equal(h.ds('agent').status?.numberMisscheduled, 1);
});

test('a rolling update replaces at most maxUnavailable pods at a time', async () => {
  const h = setup({ daemonSets: [daemonSet('agent')], nodes: [node('a'), node('b'), node('c')] });
  await h.sync('agent');
  h.runAll();
  await h.sync('agent');
  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.containers[0]!.image = 'agent:2'));
  await h.sync('agent');
  assert.equal(h.allPods().length, 2, 'one old pod deleted');
  await h.sync('agent');
  assert.equal(h.allPods().filter((pod) => pod.spec?.containers[0]?.image === 'agent:2').length, 1, 'its replacement runs the new template');
  await h.sync('agent');
  assert.equal(h.allPods().length, 3, 'nothing more while the new pod is unavailable');
  for (let round = 0; round < 6; round++) {
    h.runAll();
    await h.sync('agent');
  }
  h.runAll();
  await h.sync('agent');
  assert.deepEqual(Object.values(h.podsByNode()).flat(), ['agent:2', 'agent:2', 'agent:2']);
  const status = h.ds('agent').status!;
  assert.equal(status.updatedNumberScheduled, 3);
  assert.equal(h.stores.revisions.list().length, 2);
});

test('with maxSurge a new pod starts beside the old one, which goes once the new one is available', async () => {
  const h = setup({ daemonSets: [daemonSet('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } })], nodes: [node('a'), node('b')] });
  await h.sync('agent');
  h.runAll();
  await h.sync('agent');
  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.containers[0]!.image = 'agent:2'));
  await h.sync('agent');
  assert.equal(h.allPods().length, 3, 'one surge pod');
  h.runAll();
  await h.sync('agent');
  assert.equal(h.allPods().filter((pod) => pod.spec?.containers[0]?.image === 'agent:1').length, 1, 'the old pod beside the available new one is gone');
});

test('OnDelete leaves old pods alone until they are deleted', async () => {
  const h = setup({ daemonSets: [daemonSet('agent', { updateStrategy: { type: 'OnDelete' } })], nodes: [node('a')] });
  await h.sync('agent');
  h.runAll();
  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.containers[0]!.image = 'agent:2'));
  await h.sync('agent');
  assert.deepEqual(h.podsByNode(), { a: ['agent:1'] });
  h.stores.pods.delete(`default/${h.allPods()[0]!.metadata?.name}`);
  await h.sync('agent');
  assert.deepEqual(h.podsByNode(), { a: ['agent:2'] });
  assert.equal(h.ds('agent').status?.updatedNumberScheduled, 1);
});

test('a failed daemon pod is deleted with a FailedDaemonPod warning, then backs off', async () => {
  const h = setup({ daemonSets: [daemonSet('agent')], nodes: [node('a')] });
  await h.sync('agent');
  const pod = structuredClone(h.allPods()[0]!);
  pod.status = { phase: 'Failed' };
  h.stores.pods.upsert(pod);
  await h.sync('agent');
  assert.equal(h.allPods().length, 0);
  assert.ok(h.recorder.events.some((event) => event.startsWith(`Warning FailedDaemonPod Found failed daemon pod default/${pod.metadata?.name} on node a, will try to kill it`)));
});

test('rolling back to an earlier template reuses its revision with a new number', async () => {
  const h = setup({ daemonSets: [daemonSet('agent')], nodes: [node('a')] });
  await h.sync('agent');
  const first = h.stores.revisions.list()[0]!.metadata?.name;
  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.containers[0]!.image = 'agent:2'));
  await h.sync('agent');
  h.editDaemonSet('agent', (ds) => (ds.spec!.template!.spec!.containers[0]!.image = 'agent:1'));
  await h.sync('agent');
  const revisions = h.stores.revisions.list();
  assert.equal(revisions.length, 2);
  assert.equal(revisions.find((revision) => revision.metadata?.name === first)?.revision, 3);
});

test('an empty selector is refused with a SelectingAll warning', async () => {
  const h = setup({ daemonSets: [daemonSet('agent', { selector: {} })], nodes: [node('a')] });
  await h.sync('agent');
  assert.deepEqual(h.recorder.events, ['Warning SelectingAll This daemon set is selecting all pods. A non-empty selector is required.']);
  assert.equal(h.allPods().length, 0);
});
