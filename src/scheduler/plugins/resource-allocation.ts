// The scoring shared by NodeResourcesFit and NodeResourcesBalancedAllocation: for each
// configured resource, what the node can give and what it would carry with this pod on it.
import type { Pod } from 'kubernetes-types/core/v1.js';
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
  const podReq = podRequests(pod, { nonZero: !useRequested });
  const onNode = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  const allocatable: number[] = [];
  const requested: number[] = [];
  for (const { name } of resources) {
    const podAmount = amount(podReq, name);
    // An extended resource the pod does not ask for does not make a node better or worse.
    if (podAmount === 0 && isScalarResource(name)) {
      allocatable.push(0);
      requested.push(0);
      continue;
    }
    const used = name === 'ephemeral-storage' ? nodeInfo.requested.ephemeralStorageBytes : amount(onNode, name);
    allocatable.push(amount(nodeInfo.allocatable, name));
    requested.push(used + podAmount);
  }
  return { allocatable, requested };
}
