// The scheduler's per-node fast paths must give exactly the answers of the general code they
// short-cut: the default cpu/memory scoring vector, the allocation-free balanced score and the
// NodeResourcesFit filter's "fits" shortcut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CycleState } from '../framework/cycle-state.js';
import { Snapshot } from '../framework/snapshot.js';
import { makeNode, makePod } from '../testing.js';
import type { NodeInfo } from '../framework/node-info.js';
import { podRequests, type Resource } from '../framework/resource.js';
import { balancedScore } from './node-resources-balanced-allocation.js';
import { fitsWithoutScalars, newNodeResourcesFit } from './node-resources-fit.js';
import { DEFAULT_SCORED_RESOURCES, fillAllocatableAndRequested } from './resource-allocation.js';

const cpus = ['0', '100m', '1', '3500m', '4'];
const memories = ['0', '128Mi', '1Gi', '7Gi', '8Gi'];

function cluster(): Snapshot {
  const pods = [];
  for (let i = 0; i < 12; i++) pods.push(makePod(`placed-${i}`, { node: `n${i % 4}`, cpu: cpus[i % cpus.length], memory: memories[(i * 3) % memories.length] }));
  pods.push(makePod('no-requests', { node: 'n1' }));
  return Snapshot.from({ nodes: [0, 1, 2, 3, 4].map((i) => makeNode(`n${i}`, { pods: i === 4 ? '0' : '110' })), pods });
}

test('the default cpu/memory scoring vector equals the general per-resource computation', () => {
  const snapshot = cluster();
  // Same resources, another array: takes the general path.
  const general = DEFAULT_SCORED_RESOURCES.map((r) => ({ ...r }));
  for (const cpu of [undefined, ...cpus]) {
    for (const memory of [undefined, ...memories]) {
      const pod = makePod('p', { cpu, memory });
      for (const nonZero of [false, true]) {
        for (const nodeInfo of snapshot.nodeInfoList) {
          const fast = [[], []] as [number[], number[]];
          const slow = [[], []] as [number[], number[]];
          fillAllocatableAndRequested(podRequests(pod, { nonZero }), nodeInfo, DEFAULT_SCORED_RESOURCES, !nonZero, ...fast);
          fillAllocatableAndRequested(podRequests(pod, { nonZero }), nodeInfo, general, !nonZero, ...slow);
          assert.deepEqual(fast, slow, `cpu ${cpu} memory ${memory} nonZero ${nonZero} on ${nodeInfo.name}`);
        }
      }
    }
  }
});

test('balancedScore matches the mean/standard-deviation formula bit for bit, for any number of resources', () => {
  const reference = (requested: number[], allocatable: number[]): number => {
    const fractions = allocatable.flatMap((c, i) => (c === 0 ? [] : [Math.min(requested[i]! / c, 1)]));
    let std = 0;
    if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
    else if (fractions.length > 2) {
      const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
      std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
    }
    return Math.trunc((1 - std) * 100);
  };
  let seed = 7;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let n = 0; n < 2000; n++) {
    const size = 1 + (n % 5);
    const allocatable = Array.from({ length: size }, () => (random() < 0.2 ? 0 : Math.floor(random() * 1e6)));
    const requested = Array.from({ length: size }, () => Math.floor(random() * 1.2e6));
    assert.equal(balancedScore(requested, allocatable), reference(requested, allocatable), JSON.stringify({ requested, allocatable }));
  }
});

/** The filter's checks written out plainly, without the shortcut (no extended resources here). */
function fullCheckReasons(request: Resource, nodeInfo: NodeInfo): string[] {
  const reasons: string[] = [];
  const { allocatable: a, requested: r } = nodeInfo;
  if (nodeInfo.pods.length + 1 > a.pods) reasons.push('Too many pods');
  if (request.milliCpu > 0 && request.milliCpu > a.milliCpu - r.milliCpu) reasons.push('Insufficient cpu');
  if (request.memoryBytes > 0 && request.memoryBytes > a.memoryBytes - r.memoryBytes) reasons.push('Insufficient memory');
  return reasons;
}

test('the NodeResourcesFit shortcut says "fits" exactly when the full filter finds no reason', () => {
  const snapshot = cluster();
  const plugin = newNodeResourcesFit();
  for (const cpu of [undefined, ...cpus, '5']) {
    for (const memory of [undefined, ...memories, '9Gi']) {
      const pod = makePod('p', { cpu, memory });
      const state = new CycleState(snapshot);
      plugin.preFilter(state, pod, snapshot.nodeInfoList);
      for (const nodeInfo of snapshot.nodeInfoList) {
        const expected = fullCheckReasons(podRequests(pod), nodeInfo);
        assert.equal(fitsWithoutScalars(podRequests(pod), nodeInfo), expected.length === 0, `cpu ${cpu} memory ${memory} on ${nodeInfo.name}`);
        assert.deepEqual(plugin.filter(state, pod, nodeInfo).reasons, expected);
      }
    }
  }
});

test('pods asking for extended resources take the full NodeResourcesFit check', () => {
  const snapshot = Snapshot.from({ nodes: [makeNode('gpu', { extra: { 'example.com/gpu': '1' } }), makeNode('plain')] });
  const pod = makePod('p', { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] });
  const plugin = newNodeResourcesFit();
  const state = new CycleState(snapshot);
  assert.equal(fitsWithoutScalars(podRequests(pod), snapshot.get('gpu')!), false);
  assert.ok(plugin.filter(state, pod, snapshot.get('gpu')!).isSuccess());
  assert.deepEqual(plugin.filter(state, pod, snapshot.get('plain')!).reasons, ['Insufficient example.com/gpu']);
});
