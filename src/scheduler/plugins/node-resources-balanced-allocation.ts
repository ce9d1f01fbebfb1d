// Score: prefers nodes whose resource usage fractions (with the pod placed) are close to each
// other, so no resource is exhausted while others sit idle. 100 * (1 - standard deviation).
import type { ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import { allocatableAndRequested, DEFAULT_SCORED_RESOURCES, type ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export function balancedScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  for (const [i, capacity] of allocatable.entries()) {
    if (capacity === 0) continue;
    fractions.push(Math.min(requested[i]! / capacity, 1));
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function newNodeResourcesBalancedAllocation(rawArgs?: unknown): ScorePlugin {
  const resources = ((rawArgs ?? {}) as BalancedAllocationArgs).resources ?? DEFAULT_SCORED_RESOURCES;
  return {
    name: NAME,
    score(_state, pod, nodeInfo): number {
      const { allocatable, requested } = allocatableAndRequested(pod, nodeInfo, resources, true);
      return balancedScore(requested, allocatable);
    },
  };
}
