// Filter: the node's allocatable minus what its pods request must cover the pod's requests,
// and one more pod must fit under allocatable pods.
// Score: by scoring strategy: LeastAllocated (default, spreads), MostAllocated (packs),
// RequestedToCapacityRatio (a configured utilisation -> score curve).
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { isZeroResource, podRequests, type Resource } from '../framework/resource.js';
import { Status } from '../framework/status.js';
import { cycleRequests, DEFAULT_SCORED_RESOURCES, fillAllocatableAndRequested, type ResourceSpec } from './resource-allocation.js';

export const NAME = 'NodeResourcesFit';
const STATE_KEY = `PreFilter${NAME}`;

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface UtilizationShapePoint {
  utilization: number;
  /** 0..10, as the config API; scaled to 0..100. */
  score: number;
}

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

type Scorer = (requested: readonly number[], allocatable: readonly number[]) => number;

/** Weighted integer mean over resources the node has, as upstream's resource scorers. */
function weightedScorer(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < resources.length; i++) {
      const spec = resources[i]!;
      if (allocatable[i] === 0) continue;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * spec.weight;
      weightSum += spec.weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

export const leastRequestedScore = (requested: number, capacity: number): number =>
  capacity === 0 || requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);

export const mostRequestedScore = (requested: number, capacity: number): number =>
  capacity === 0 ? 0 : Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);

function brokenLinear(shape: readonly UtilizationShapePoint[]): (utilization: number) => number {
  const points = shape.map((p) => ({ utilization: p.utilization, score: (p.score * MAX_NODE_SCORE) / MAX_CUSTOM_PRIORITY_SCORE }));
  return (u) => {
    for (const [i, p] of points.entries()) {
      if (u > p.utilization) continue;
      if (i === 0) return p.score;
      const prev = points[i - 1]!;
      return prev.score + Math.trunc(((p.score - prev.score) * (u - prev.utilization)) / (p.utilization - prev.utilization));
    }
    return points[points.length - 1]?.score ?? 0;
  };
}

function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): Scorer {
  const curve = brokenLinear(shape);
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (const [i, spec] of resources.entries()) {
      const capacity = allocatable[i]!;
      if (capacity === 0) continue;
      const r = requested[i]!;
      const score = r > capacity ? curve(MAX_UTILIZATION) : curve(Math.trunc((r * MAX_UTILIZATION) / capacity));
      if (score > 0) {
        nodeScore += score * spec.weight;
        weightSum += spec.weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * True when the filter below would find no reason at all, for pods without extended resources
 * (those take the full check): room for one more pod, and enough cpu, memory and storage.
 */
export function fitsWithoutScalars(request: Resource, nodeInfo: NodeInfo): boolean {
  const { allocatable: a, requested: r } = nodeInfo;
  if (nodeInfo.pods.length + 1 > a.pods || request.scalar.size > 0) return false;
  if (request.milliCpu > 0 && request.milliCpu > a.milliCpu - r.milliCpu) return false;
  if (request.memoryBytes > 0 && request.memoryBytes > a.memoryBytes - r.memoryBytes) return false;
  if (request.ephemeralStorageBytes > 0 && request.ephemeralStorageBytes > a.ephemeralStorageBytes - r.ephemeralStorageBytes) return false;
  return true;
}

export function newNodeResourcesFit(rawArgs?: unknown): PreFilterPlugin & FilterPlugin & ScorePlugin {
  const args = (rawArgs ?? {}) as NodeResourcesFitArgs;
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  const strategy = args.scoringStrategy?.type ?? 'LeastAllocated';
  const resources = args.scoringStrategy?.resources ?? DEFAULT_SCORED_RESOURCES;
  const scorer: Scorer =
    strategy === 'MostAllocated'
      ? weightedScorer(resources, mostRequestedScore)
      : strategy === 'RequestedToCapacityRatio'
        ? requestedToCapacityRatioScorer(resources, args.scoringStrategy?.requestedToCapacityRatio?.shape ?? [])
        : weightedScorer(resources, leastRequestedScore);
  const isIgnored = (name: string): boolean => ignored.has(name) || ignoredGroups.has(name.split('/')[0]!);
  const requestsOf = cycleRequests(true);
  // Scratch for scoring, which is synchronous and runs once per candidate node.
  const allocatable: number[] = [];
  const requested: number[] = [];
  const scoreNode = (podRequest: Resource, nodeInfo: NodeInfo): number => {
    fillAllocatableAndRequested(podRequest, nodeInfo, resources, false, allocatable, requested);
    return scorer(requested, allocatable);
  };

  return {
    name: NAME,
    preFilter(state, pod): Status {
      state.write(STATE_KEY, podRequests(pod));
      return Status.success();
    },
    filter(state, pod, nodeInfo): Status {
      const request = state.read<Resource>(STATE_KEY) ?? podRequests(pod);
      // Nearly every node fits: answer that without building a reasons list per node.
      if (fitsWithoutScalars(request, nodeInfo)) return Status.success();
      const reasons: string[] = [];
      if (nodeInfo.pods.length + 1 > nodeInfo.allocatable.pods) reasons.push('Too many pods');
      if (!isZeroResource(request)) {
        const free = (alloc: number, used: number): number => alloc - used;
        const { allocatable: a, requested: r } = nodeInfo;
        if (request.milliCpu > 0 && request.milliCpu > free(a.milliCpu, r.milliCpu)) reasons.push('Insufficient cpu');
        if (request.memoryBytes > 0 && request.memoryBytes > free(a.memoryBytes, r.memoryBytes)) reasons.push('Insufficient memory');
        if (request.ephemeralStorageBytes > 0 && request.ephemeralStorageBytes > free(a.ephemeralStorageBytes, r.ephemeralStorageBytes)) {
          reasons.push('Insufficient ephemeral-storage');
        }
        for (const [name, quantity] of request.scalar) {
          if (quantity === 0 || isIgnored(name)) continue;
          if (quantity > free(a.scalar.get(name) ?? 0, r.scalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
        }
      }
      return reasons.length > 0 ? Status.unschedulable(...reasons) : Status.success();
    },
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
