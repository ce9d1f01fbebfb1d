// Score: prefers nodes whose resource usage fractions (with the pod placed) are close to each
// other, so no resource is exhausted while others sit idle. 100 * (1 - standard deviation).
import type { ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { Resource } from '../framework/resource.js';
import { cycleRequests, DEFAULT_SCORED_RESOURCES, fillAllocatableAndRequested, type ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

/** Reused by every call: scoring is synchronous and runs once per candidate node. */
const fractionsScratch: number[] = [];

export function balancedScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions = fractionsScratch;
  let n = 0;
  for (let i = 0; i < allocatable.length; i++) {
    const capacity = allocatable[i]!;
    if (capacity === 0) continue;
    fractions[n++] = Math.min(requested[i]! / capacity, 1);
  }
  let std = 0;
  if (n === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (n > 2) {
    // Summed left to right from 0, as the reduce this replaced, so the float results are identical.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += fractions[i]!;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (fractions[i]! - mean) ** 2;
    std = Math.sqrt(squares / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function newNodeResourcesBalancedAllocation(rawArgs?: unknown): ScorePlugin {
  const resources = ((rawArgs ?? {}) as BalancedAllocationArgs).resources ?? DEFAULT_SCORED_RESOURCES;
  const requestsOf = cycleRequests(false);
  const allocatable: number[] = [];
  const requested: number[] = [];
  const scoreNode = (podRequest: Resource, nodeInfo: NodeInfo): number => {
    fillAllocatableAndRequested(podRequest, nodeInfo, resources, true, allocatable, requested);
    return balancedScore(requested, allocatable);
  };
  return {
    name: NAME,
    score(state, pod, nodeInfo): number {
      return scoreNode(requestsOf(state, pod), nodeInfo);
    },
    scoreNodes(state, pod, nodes, out): undefined {
      const podRequest = requestsOf(state, pod);
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(podRequest, nodes[i]!);
      return undefined;
    },
  };
}
