import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../history/types.js';
import { addDaemonTolerations, nodeShouldRunDaemonPod, pinToNode, targetNodeName } from './eligibility.js';
import { daemonSet, node } from './harness.test-support.js';

test('hostNetwork daemons also tolerate network-unavailable; a matching toleration is replaced, not duplicated', () => {
  const spec: NonNullable<Pod['spec']> = { containers: [], hostNetwork: true, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] };
  addDaemonTolerations(spec);
  assert.equal(spec.tolerations?.length, 7);
  assert.equal(spec.tolerations?.[0]?.tolerationSeconds, undefined);
  assert.ok(spec.tolerations?.some((t) => t.key === 'node.kubernetes.io/network-unavailable'));
});

test('a cordoned or not-ready node still runs daemons; required node affinity and template nodeName are honoured', () => {
  const ds = daemonSet('agent');
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), ds), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), ds), { shouldRun: true, shouldContinueRunning: true });
  const affinity = daemonSet('agent', {
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } } },
  });
  assert.equal(nodeShouldRunDaemonPod(node('a', { labels: { zone: 'z1' } }), affinity).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('b', { labels: { zone: 'z2' } }), affinity).shouldRun, false);
  const named = daemonSet('agent', { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [], nodeName: 'b' } } });
  assert.equal(nodeShouldRunDaemonPod(node('a'), named).shouldRun, false);
});

test('pinning replaces any required terms with matchFields metadata.name, and the target node is read back from it', () => {
  const spec: NonNullable<Pod['spec']> = { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } };
  pinToNode(spec, 'node-1');
  assert.deepEqual(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] });
  assert.equal(targetNodeName({ spec }), 'node-1');
  assert.equal(targetNodeName({ spec: { ...spec, nodeName: 'bound' } }), 'bound');
});
