import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { evictionMessage, nodeConditionMessage } from './messages.js';
import type { PodStats } from './pod-stats.js';
import { parseEvictionHard } from './thresholds.js';

const mi = 1024 * 1024;
const pod: Pod = {
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'busybox' }, { name: 'd', image: 'busybox', resources: { requests: { memory: '64Mi' } } }] },
};
const stats = (): PodStats => ({ containers: [{ name: 'c', memoryWorkingSetBytes: 10 * mi, rootfsBytes: 3 * mi, logsBytes: mi }, { name: 'd', memoryWorkingSetBytes: 20 * mi }], volumeBytes: 0, volumeInodes: 0, processes: 1 });

test('the memory eviction message is upstream’s, naming the containers over their requests', () => {
  const met = parseEvictionHard('memory.available<100Mi');
  const message = evictionMessage('memory', pod, stats, met, { 'memory.available': { available: 50 * mi, capacity: 8192 * mi } });
  assert.equal(message, 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container c was using 10Mi, request is 0, has larger consumption of memory. ');
});

test('a disk eviction counts writable layer and logs; a percentage threshold is shown as the quantity it came to', () => {
  const met = parseEvictionHard('nodefs.available<100%,nodefs.available<50%');
  const message = evictionMessage('ephemeral-storage', pod, stats, met, { 'nodefs.available': { available: 1536 * 1024, capacity: 8 * mi } });
  assert.equal(message, 'The node was low on resource: ephemeral-storage. Threshold quantity: 4Mi, available: 1536Ki. Container c was using 4Mi, request is 0, has larger consumption of ephemeral-storage. ');
});

test('without stats the message names only the resource and threshold', () => {
  const met = parseEvictionHard('memory.available<100Mi');
  assert.equal(evictionMessage('memory', pod, () => undefined, met, {}), 'The node was low on resource: memory. ');
});

test('the admission message lists the conditions as Go prints a slice', () => {
  assert.equal(nodeConditionMessage(['MemoryPressure']), 'The node had condition: [MemoryPressure]. ');
});
