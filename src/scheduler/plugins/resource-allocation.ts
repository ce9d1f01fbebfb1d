// The scoring shared by NodeResourcesFit and NodeResourcesBalancedAllocation: for each
// configured resource, what the node can give and what it would carry with this pod on it.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import { podRequests, type Resource } from '../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_SCORED_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

function amount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu': return r.milliCpu;
    case 'memory': return r.memoryBytes;
    case 'ephemeral-storage': return r.ephemeralStorageBytes;
    case 'pods': return r.pods;
    default: return r.scalar.get(name) ?? 0;
  }
}

const isScalarResource = (name: string): boolean => !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(name);

/**
 * `useRequested` false: cpu/memory counted with the non-zero defaults for missing requests
 * (NodeResourcesFit); true: the literal requests (BalancedAllocation).
 * A resource the node has none of gets allocatable 0 and is left out by the scorers.
 */
export function allocatableAndRequested(
  pod: Pod,
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  useRequested: boolean,
): { allocatable: number[]; requested: number[] } {
  const allocatable: number[] = [];
  const requested: number[] = [];
  fillAllocatableAndRequested(podRequests(pod, { nonZero: !useRequested }), nodeInfo, resources, useRequested, allocatable, requested);
  return { allocatable, requested };
}

/**
 * allocatableAndRequested for a pod's already computed requests, written into the caller's
 * arrays: scoring runs this for every candidate node, and two fresh arrays per node and plugin
 * were a large share of the scheduler's garbage.
 */
export function fillAllocatableAndRequested(
  podReq: Resource,
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  useRequested: boolean,
  allocatable: number[],
  requested: number[],
): void {
  const onNode = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  // Setting length costs a runtime call even when unchanged; the callers' arrays keep their size.
  if (allocatable.length !== resources.length) allocatable.length = resources.length;
  if (requested.length !== resources.length) requested.length = resources.length;
  if (resources === DEFAULT_SCORED_RESOURCES) {
    // The default cpu and memory, which neither the zero-request rule nor ephemeral storage concern.
    allocatable[0] = nodeInfo.allocatable.milliCpu;
    allocatable[1] = nodeInfo.allocatable.memoryBytes;
    requested[0] = onNode.milliCpu + podReq.milliCpu;
    requested[1] = onNode.memoryBytes + podReq.memoryBytes;
    return;
  }
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i]!.name;
    const podAmount = amount(podReq, name);
    // An extended resource the pod does not ask for does not make a node better or worse.
    if (podAmount === 0 && isScalarResource(name)) {
      allocatable[i] = 0;
      requested[i] = 0;
      continue;
    }
    const used = name === 'ephemeral-storage' ? nodeInfo.requested.ephemeralStorageBytes : amount(onNode, name);
    allocatable[i] = amount(nodeInfo.allocatable, name);
    requested[i] = used + podAmount;
  }
}

/**
 * The pod's requests for one scheduling cycle, computed on its first Score call and reused for
 * the other nodes, as upstream's PreScore state (the pod does not change within a cycle).
 */
export function cycleRequests(nonZero: boolean): (state: CycleState, pod: Pod) => Resource {
  let lastState: CycleState | undefined;
  let lastPod: Pod | undefined;
  let lastRequests: Resource | undefined;
  return (state, pod) => {
    if (state !== lastState || pod !== lastPod || !lastRequests) {
      lastRequests = podRequests(pod, { nonZero });
      lastState = state;
      lastPod = pod;
    }
    return lastRequests;
  };
}
