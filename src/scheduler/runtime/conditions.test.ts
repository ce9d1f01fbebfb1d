import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod } from '../testing.js';
import { nodeSchedulingProperties, podScheduledCondition } from './conditions.js';

const failure = { reason: 'Unschedulable' as const, message: '0/1 nodes are available: 1 Insufficient cpu.' };

test('PodScheduled=False is written once; a new message keeps the transition time', () => {
  const first = podScheduledCondition(makePod('p'), failure, new Date('2026-01-01T00:00:00.123Z'))!;
  assert.deepEqual(first, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: failure.message, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' });
  const withCondition = { ...makePod('p'), status: { conditions: [first] } };
  assert.equal(podScheduledCondition(withCondition, failure, new Date('2026-01-01T00:05:00Z')), undefined);
  const changed = podScheduledCondition(withCondition, { ...failure, message: 'other' }, new Date('2026-01-01T00:05:00Z'))!;
  assert.equal(changed.message, 'other');
  assert.equal(changed.lastTransitionTime, '2026-01-01T00:00:00Z', 'still False: the status did not transition');
});

test('heartbeats are not a scheduling-relevant node change; taints and allocatable are', () => {
  const node = makeNode('n1');
  const heartbeat = { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:10Z' }] } };
  const beforeBeat = { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } };
  assert.equal(nodeSchedulingProperties(beforeBeat), nodeSchedulingProperties(heartbeat));
  assert.notEqual(nodeSchedulingProperties(node), nodeSchedulingProperties(makeNode('n1', { taints: [{ key: 'k', effect: 'NoSchedule' }] })));
  assert.notEqual(nodeSchedulingProperties(node), nodeSchedulingProperties(makeNode('n1', { cpu: '8' })));
});
