// The cluster state one scheduling cycle decides against: nodes with the pods bound to them,
// plus the few other objects plugins read (namespace labels, workloads for default spreading).
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { NamespaceLabels } from './affinity-term.js';
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

export class Snapshot {
  readonly nodeInfoList: NodeInfo[] = [];
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  readonly namespaceLabels: NamespaceLabels;

  constructor(
    nodeInfos: readonly NodeInfo[],
    readonly objects: Omit<ClusterObjects, 'nodes' | 'pods'> = {},
  ) {
    for (const n of nodeInfos) {
      this.nodeInfoList.push(n);
      this.nodeInfoMap.set(n.name, n);
    }
    this.namespaceLabels = new Map((objects.namespaces ?? []).map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]));
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
  havePodsWithAffinity(): NodeInfo[] {
    return this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
  }
  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    return this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /** The same cluster with one node replaced (preemption's what-if). */
  withNode(nodeInfo: NodeInfo): Snapshot {
    return new Snapshot(
      this.nodeInfoList.map((n) => (n.name === nodeInfo.name ? nodeInfo : n)),
      this.objects,
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
