// One node as the scheduler sees it: the Node object plus the sums over the pods placed on it.
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { HostPortSet, podHostPorts } from './host-ports.js';
import { hasAffinityTerms, newPodInfo, type PodInfo } from './pod-info.js';
import { addResource, cloneResource, emptyResource, resourceFromList, type Resource } from './resource.js';

/** How widely an image is spread, for ImageLocality. */
export interface ImageStateSummary {
  sizeBytes: number;
  numNodes: number;
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAINTS: readonly Taint[] = Object.freeze([]);

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

  private current!: Node;
  /** Read for every node by every plugin in every cycle: kept rather than looked up through metadata. */
  private nodeName = '';
  /**
   * The Node's spec.unschedulable and spec.taints, which the default filters read for every
   * node and pod: kept here, a plain pod's cycle does not touch (cache-miss on) the Node objects.
   */
  unschedulable = false;
  taints: readonly Taint[] = NO_TAINTS;

  constructor(node: Node) {
    this.node = node;
    this.allocatable = resourceFromList((node.status?.allocatable ?? {}) as Record<string, unknown>);
  }

  get node(): Node {
    return this.current;
  }
  set node(node: Node) {
    this.current = node;
    this.nodeName = node.metadata?.name ?? '';
    this.unschedulable = !!node.spec?.unschedulable;
    this.taints = node.spec?.taints ?? NO_TAINTS;
  }

  /** A newer version of the Node; the pods placed on it stay (the scheduler cache's node update). */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList((node.status?.allocatable ?? {}) as Record<string, unknown>);
  }

  get name(): string {
    return this.nodeName;
  }
  get labels(): Readonly<Record<string, string>> {
    return this.current.metadata?.labels ?? NO_LABELS;
  }

  /** Moves whenever the node's pods change, so per-node results can be memoised against it. */
  generation = 0;
  /**
   * PodTopologySpread's memo: selector key -> pods matching it here at `generation`. A field
   * rather than a WeakMap beside the node, because scoring looks it up for every candidate node.
   */
  matchingPodCounts: Map<string, { generation: number; count: number }> | undefined;

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
