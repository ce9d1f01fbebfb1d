import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newlyBoundPod } from './bind-watch.js';

const event = (type: string, pod: unknown): string => JSON.stringify({ type, object: pod });
const pod = (name: string, nodeName?: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name, namespace: 'sched-0', labels: { color: 'blue' }, managedFields: [{ manager: 'kube-scheduler', fieldsV1: { 'f:spec': { 'f:nodeName': {} }, 'f:metadata': { 'f:name': {} } } }] },
  spec: { containers: [{ name: 'pause', image: 'pause' }], ...(nodeName === undefined ? {} : { nodeName }), ...extra },
  status: { phase: 'Pending', nominatedNodeName: 'node-9' },
});

test('a pod is reported bound once: on its first event with spec.nodeName, not before or after', () => {
  const bound = new Set<string>();
  assert.equal(newlyBoundPod(event('ADDED', pod('pod-1')), bound), undefined, 'created, not bound (managedFields\' f:nodeName and status.nominatedNodeName do not count)');
  assert.equal(newlyBoundPod(event('MODIFIED', pod('pod-1', '')), bound), undefined, 'an empty nodeName is not bound');
  assert.equal(newlyBoundPod(event('MODIFIED', pod('pod-1', 'node-3')), bound), 'pod-1');
  bound.add('pod-1');
  assert.equal(newlyBoundPod(event('MODIFIED', { ...pod('pod-1', 'node-3'), status: { phase: 'Running' } }), bound), undefined, 'already recorded');
  assert.equal(newlyBoundPod(event('MODIFIED', pod('pod-10', 'node-3')), bound), 'pod-10', 'a name that extends a recorded one is another pod');
});

test('lines the shortcuts cannot read are parsed, and still give the right answer', () => {
  const bound = new Set(['other']);
  // metadata after a spec whose volume template has a metadata.name of its own.
  const late = { kind: 'Pod', spec: { nodeName: 'node-1', volumes: [{ name: 'v', ephemeral: { volumeClaimTemplate: { metadata: { name: 'other' } } } }] }, metadata: { name: 'late' } };
  assert.equal(newlyBoundPod(event('MODIFIED', late), bound), 'late');
  // Indented JSON.
  assert.equal(newlyBoundPod(JSON.stringify({ type: 'MODIFIED', object: pod('spaced', 'node-1') }, null, 1).replace(/\n/g, ''), bound), 'spaced');
  // A label key named nodeName, or nodeName inside an annotation's value, is not spec.nodeName.
  assert.equal(newlyBoundPod(event('MODIFIED', { ...pod('labelled'), metadata: { name: 'labelled', labels: { nodeName: 'x' } } }), bound), undefined);
  assert.equal(newlyBoundPod(event('MODIFIED', { ...pod('annotated'), metadata: { name: 'annotated', annotations: { note: '{"nodeName":"x"}' } } }), bound), undefined);
});
