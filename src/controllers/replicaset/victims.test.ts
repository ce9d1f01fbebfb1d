import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from './types.js';
import { getPodsToDelete } from './victims.js';

const now = Date.parse('2024-01-02T00:00:00Z');

function pod(name: string, options: { node?: string; phase?: string; ready?: boolean; readySince?: string; restarts?: number; created?: string; cost?: string } = {}): Pod {
  return {
    metadata: { name, uid: name, creationTimestamp: options.created ?? '2024-01-01T00:00:00Z', ...(options.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': options.cost } } : {}) },
    spec: { containers: [], ...(options.node === '' ? {} : { nodeName: options.node ?? 'n1' }) },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: options.readySince ?? '2024-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', restartCount: options.restarts ?? 0, image: '', imageID: '', ready: true }],
    },
  } as Pod;
}

function order(pods: Pod[], related: Pod[] = pods): string[] {
  return getPodsToDelete(pods, related, pods.length - 1, now).map((p) => p.metadata!.name!);
}

test('unassigned before assigned, then pending < unknown < running, then not ready < ready', () => {
  const pods = [pod('running'), pod('unknown', { phase: 'Unknown' }), pod('pending', { phase: 'Pending' }), pod('unassigned', { node: '', phase: 'Pending' }), pod('not-ready', { ready: false })];
  assert.deepEqual(order(pods), ['unassigned', 'pending', 'unknown', 'not-ready']);
});

test('lower deletion cost goes first, then pods doubled up on a node', () => {
  assert.deepEqual(order([pod('expensive', { cost: '100' }), pod('cheap', { cost: '-5' }), pod('default')]), ['cheap', 'default']);
  const pods = [pod('alone', { node: 'n1' }), pod('crowded', { node: 'n2' })];
  const related = [...pods, pod('sibling-1', { node: 'n2' }), pod('sibling-2', { node: 'n2' })];
  assert.deepEqual(order(pods, related), ['crowded']);
});

test('ready for less time goes first, in log2 age buckets; more restarts go first; newer goes first', () => {
  // Ready 1 minute vs 20 hours ago: different buckets, the recently ready pod goes first.
  assert.deepEqual(order([pod('ready-long', { readySince: '2024-01-01T04:00:00Z' }), pod('ready-recent', { readySince: '2024-01-01T23:59:00Z' })]), ['ready-recent']);
  assert.deepEqual(order([pod('stable'), pod('crashy', { restarts: 3 })]), ['crashy']);
  assert.deepEqual(order([pod('old', { created: '2023-06-01T00:00:00Z' }), pod('new', { created: '2024-01-01T23:00:00Z' })]), ['new']);
});

test('deleting every pod needs no ranking', () => {
  const pods = [pod('a'), pod('b')];
  assert.deepEqual(getPodsToDelete(pods, pods, 2, now), pods);
});
