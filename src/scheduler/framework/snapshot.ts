// The cluster state one scheduling cycle decides against: nodes with the pods bound to them,
// plus the few other objects plugins read (namespace labels, workloads for default spreading).
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { NamespaceLabels } from './affinity-term.js';
import type { ChangeLog } from './change-log.js';
import { NodeInfo, type ImageStateSummary } from './node-info.js';
import { newPodInfo } from './pod-info.js';

export interface ClusterObjects {
  nodes: readonly Node[];
  /** All pods; only those bound to a known node and not terminal are placed. */
  pods?: readonly Pod[];
  namespaces?: readonly Namespace[];
  services?: readonly Service[];
  replicationControllers?: readonly ReplicationController[];
  replicaSets?: readonly ReplicaSet[];
  statefulSets?: readonly StatefulSet[];
  /** Preemption prefers victims whose eviction keeps these budgets. */
  podDisruptionBudgets?: readonly PodDisruptionBudget[];
}

/**
 * Built once by `Snapshot.from` (tests, what-ifs), or kept live by the scheduler cache, which
 * adds and removes NodeInfos between cycles instead of rebuilding the world for each pod; a
 * cycle runs synchronously, so it never sees a half-applied change.
 */
export class Snapshot {
  readonly nodeInfoList: NodeInfo[] = [];
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  readonly namespaceLabels: NamespaceLabels;
  /** Position of each node in nodeInfoList, so a live snapshot removes a node in O(1). */
  private readonly indexOf = new Map<string, number>();
  private podsWithAffinityNodes: NodeInfo[] | undefined;
  private podsWithRequiredAntiAffinityNodes: NodeInfo[] | undefined;
  /** Live snapshots only (the scheduler cache sets it): what changed, for incremental plugins. */
  changes: ChangeLog | undefined;

  constructor(
    nodeInfos: readonly NodeInfo[],
    readonly objects: Omit<ClusterObjects, 'nodes' | 'pods'> = {},
    namespaceLabels?: NamespaceLabels,
  ) {
    for (const n of nodeInfos) this.addNodeInfo(n);
    this.namespaceLabels =
      namespaceLabels ?? new Map((objects.namespaces ?? []).map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]));
  }

  /** Live snapshots: a node joined. */
  addNodeInfo(nodeInfo: NodeInfo): void {
    if (this.indexOf.has(nodeInfo.name)) throw new Error(`node "${nodeInfo.name}" is already in the snapshot`);
    this.indexOf.set(nodeInfo.name, this.nodeInfoList.length);
    this.nodeInfoList.push(nodeInfo);
    this.nodeInfoMap.set(nodeInfo.name, nodeInfo);
    this.affinityChanged();
  }

  /** Live snapshots: a node left; the last node takes its place in the list. */
  removeNodeInfo(nodeName: string): void {
    const index = this.indexOf.get(nodeName);
    if (index === undefined) return;
    const last = this.nodeInfoList.pop()!;
    if (last.name !== nodeName) {
      this.nodeInfoList[index] = last;
      this.indexOf.set(last.name, index);
    }
    this.indexOf.delete(nodeName);
    this.nodeInfoMap.delete(nodeName);
    this.affinityChanged();
  }

  /** Live snapshots: a pod with (anti-)affinity terms was placed or removed somewhere. */
  affinityChanged(): void {
    this.podsWithAffinityNodes = undefined;
    this.podsWithRequiredAntiAffinityNodes = undefined;
  }

  static from(objects: ClusterObjects): Snapshot {
    const infos = objects.nodes.map((n) => new NodeInfo(n));
    const byName = new Map(infos.map((n) => [n.name, n]));
    for (const pod of objects.pods ?? []) {
      const phase = pod.status?.phase;
      // The scheduler's pod informer drops terminal pods: they hold no resources.
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const nodeInfo = byName.get(pod.spec?.nodeName ?? '');
      if (nodeInfo) nodeInfo.addPod(newPodInfo(pod));
    }
    fillImageStates(infos);
    const { nodes: _nodes, pods: _pods, ...rest } = objects;
    return new Snapshot(infos, rest);
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  /** Nodes hosting at least one pod with (anti-)affinity terms. */
  /** Computed once per change rather than once per pod: most clusters have no such pods. */
  havePodsWithAffinity(): NodeInfo[] {
    this.podsWithAffinityNodes ??= this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    return this.podsWithAffinityNodes;
  }
  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    this.podsWithRequiredAntiAffinityNodes ??= this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    return this.podsWithRequiredAntiAffinityNodes;
  }

  /** The same cluster with one node replaced (preemption's what-if). */
  withNode(nodeInfo: NodeInfo): Snapshot {
    return new Snapshot(
      this.nodeInfoList.map((n) => (n.name === nodeInfo.name ? nodeInfo : n)),
      this.objects,
      this.namespaceLabels,
    );
  }
}

function fillImageStates(infos: readonly NodeInfo[]): void {
  const spread = new Map<string, ImageStateSummary>();
  for (const info of infos) {
    for (const image of info.node.status?.images ?? []) {
      for (const name of image.names ?? []) {
        const state = spread.get(name) ?? { sizeBytes: image.sizeBytes ?? 0, numNodes: 0 };
        state.numNodes++;
        spread.set(name, state);
      }
    }
  }
  for (const info of infos) {
    for (const image of info.node.status?.images ?? []) {
      for (const name of image.names ?? []) {
        const shared = spread.get(name)!;
        // The size is the one this node reports; the spread is cluster-wide.
        info.imageStates.set(name, { sizeBytes: image.sizeBytes ?? 0, numNodes: shared.numNodes });
      }
    }
  }
}
