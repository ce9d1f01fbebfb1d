// One node as the scheduler sees it: the Node object plus the sums over the pods placed on it.
import type { Node } from 'kubernetes-types/core/v1.js';
import { HostPortSet, podHostPorts } from './host-ports.js';
import { hasAffinityTerms, newPodInfo, type PodInfo } from './pod-info.js';
import { addResource, cloneResource, emptyResource, resourceFromList, type Resource } from './resource.js';

/** How widely an image is spread, for ImageLocality. */
export interface ImageStateSummary {
  sizeBytes: number;
  numNodes: number;
}

export class NodeInfo {
  readonly pods: PodInfo[] = [];
  /** Pods with any pod (anti-)affinity term; InterPodAffinity only looks at these. */
  readonly podsWithAffinity: PodInfo[] = [];
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource;
  usedPorts = new HostPortSet();
  /** Image name (as the node reports it) -> size and spread; filled by the Snapshot or the scheduler cache. */
  imageStates = new Map<string, ImageStateSummary>();

  constructor(public node: Node) {
    this.allocatable = resourceFromList((node.status?.allocatable ?? {}) as Record<string, unknown>);
  }

  /** A newer version of the Node; the pods placed on it stay (the scheduler cache's node update). */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList((node.status?.allocatable ?? {}) as Record<string, unknown>);
  }

  get name(): string {
    return this.node.metadata?.name ?? '';
  }
  get labels(): Readonly<Record<string, string>> {
    return this.node.metadata?.labels ?? {};
  }

  /** Moves whenever the node's pods change, so per-node results can be memoised against it. */
  generation = 0;

  addPod(podInfo: PodInfo): void {
    this.generation++;
    this.pods.push(podInfo);
    if (hasAffinityTerms(podInfo)) this.podsWithAffinity.push(podInfo);
    if (podInfo.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(podInfo);
    this.account(podInfo, 1);
  }

  /** Returns false when the pod was not on this node. */
  removePod(key: string): boolean {
    const index = this.pods.findIndex((p) => p.key === key);
    if (index < 0) return false;
    this.generation++;
    const [podInfo] = this.pods.splice(index, 1);
    removeByKey(this.podsWithAffinity, key);
    removeByKey(this.podsWithRequiredAntiAffinity, key);
    this.account(podInfo!, -1);
    return true;
  }

  private account(podInfo: PodInfo, sign: 1 | -1): void {
    addResource(this.requested, podInfo.requests, sign);
    addResource(this.nonZeroRequested, podInfo.nonZeroRequests, sign);
    for (const p of podHostPorts(podInfo.pod)) this.usedPorts.add(p, sign);
  }

  /** A copy whose pod list and sums can change without touching the snapshot (preemption). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.node);
    copy.pods.push(...this.pods);
    copy.podsWithAffinity.push(...this.podsWithAffinity);
    copy.podsWithRequiredAntiAffinity.push(...this.podsWithRequiredAntiAffinity);
    copy.requested = cloneResource(this.requested);
    copy.nonZeroRequested = cloneResource(this.nonZeroRequested);
    copy.usedPorts = this.usedPorts.clone();
    copy.imageStates = this.imageStates;
    return copy;
  }
}

function removeByKey(list: PodInfo[], key: string): void {
  const index = list.findIndex((p) => p.key === key);
  if (index >= 0) list.splice(index, 1);
}

export { newPodInfo };
