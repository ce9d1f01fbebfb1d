// The scheduler's view of where pods are (upstream's internal/cache): NodeInfos kept up to date
// by node and assigned-pod events, plus pods the scheduler has *assumed* onto a node while their
// binding is in flight, so the next cycle already counts them. The Snapshot plugins read is this
// cache's own live Snapshot: events change single NodeInfos between cycles, so a cycle costs
// nothing per node outside filtering and scoring, and nothing is cloned.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NamespaceLabels } from '../framework/affinity-term.js';
import { ChangeLog } from '../framework/change-log.js';
import { NodeInfo, type ImageStateSummary } from '../framework/node-info.js';
import { hasAffinityTerms, newPodInfo, podKey, type PodInfo } from '../framework/pod-info.js';
import { Snapshot, type ClusterObjects } from '../framework/snapshot.js';

/**
 * How long an assumed pod whose binding finished may wait for the informer to confirm it before
 * its resources are released. Upstream v1.32 never expires them (0); a finite TTL only matters
 * when a confirmation is lost, and then releasing the room is the lesser evil.
 */
export const DEFAULT_ASSUMED_POD_TTL_MS = 15 * 60_000;
/** How often the wiring should call cleanupAssumedPods (upstream's cleanAssumedPeriod). */
export const CLEAN_ASSUMED_PERIOD_MS = 1_000;

interface PodState {
  podInfo: PodInfo;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
  /** Set once binding finished; undefined: never expires. */
  deadlineMs?: number;
}

export interface SchedulerCacheOptions {
  nowMs?: () => number;
  /** 0 or less: assumed pods never expire. */
  assumedPodTtlMs?: number;
  /** Services, workloads and PDBs as plugins read them (getters over informer caches are fine). */
  objects?: Omit<ClusterObjects, 'nodes' | 'pods' | 'namespaces'>;
  /** Namespace labels for affinity namespaceSelectors; a live map the wiring keeps current. */
  namespaceLabels?: NamespaceLabels;
}

export class SchedulerCache {
  readonly snapshot: Snapshot;
  /** Every node we know of, including ones only known from pods bound to them (no Node yet). */
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedKeys = new Set<string>();
  /** Image name -> nodes reporting it: ImageLocality's spread. */
  private readonly imageNodes = new Map<string, Set<string>>();
  private readonly nowMs: () => number;
  private readonly ttlMs: number;
  private readonly changes = new ChangeLog();

  constructor(options: SchedulerCacheOptions = {}) {
    this.nowMs = options.nowMs ?? Date.now;
    this.ttlMs = options.assumedPodTtlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
    this.snapshot = new Snapshot([], options.objects ?? {}, options.namespaceLabels ?? new Map());
    this.snapshot.changes = this.changes;
  }

  get nodeCount(): number {
    return this.snapshot.nodeInfoList.length;
  }
  get podCount(): number {
    return this.podStates.size;
  }

  // ---- nodes ----

  addNode(node: Node): void {
    this.updateNode(node);
  }

  updateNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let info = this.nodeInfos.get(name);
    const inSnapshot = this.snapshot.nodeInfoMap.has(name);
    if (info) {
      this.untrackImages(info);
      info.setNode(node);
    } else {
      info = new NodeInfo(node);
      this.nodeInfos.set(name, info);
    }
    this.trackImages(info);
    if (!inSnapshot) this.snapshot.addNodeInfo(info);
    this.changes.nodesChanged();
  }

  removeNode(nodeName: string): void {
    const info = this.nodeInfos.get(nodeName);
    if (!info) return;
    this.untrackImages(info);
    this.snapshot.removeNodeInfo(nodeName);
    this.changes.nodesChanged();
    // Pods still bound to a deleted node keep their NodeInfo until they are deleted too.
    if (info.pods.length === 0) this.nodeInfos.delete(nodeName);
    else info.setNode({ metadata: { name: nodeName } });
  }

  private trackImages(info: NodeInfo): void {
    info.imageStates = new Map();
    for (const image of info.node.status?.images ?? []) {
      for (const name of image.names ?? []) {
        let nodes = this.imageNodes.get(name);
        if (!nodes) this.imageNodes.set(name, (nodes = new Set()));
        nodes.add(info.name);
        const spread = nodes;
        // The count is read when scored, so a node joining later updates every holder at once.
        const summary: ImageStateSummary = {
          sizeBytes: image.sizeBytes ?? 0,
          get numNodes() {
            return spread.size;
          },
        };
        info.imageStates.set(name, summary);
      }
    }
  }

  private untrackImages(info: NodeInfo): void {
    for (const name of info.imageStates.keys()) {
      const nodes = this.imageNodes.get(name);
      nodes?.delete(info.name);
      if (nodes?.size === 0) this.imageNodes.delete(name);
    }
  }

  // ---- pods ----

  /** An assigned pod seen by the informer: confirms an assumed pod, or places a new one. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state && !state.assumed) {
      this.updatePod(state.podInfo.pod, pod);
      return;
    }
    if (state) {
      // Confirmed: the real pod replaces the assumed copy (on the node it was really bound to).
      this.assumedKeys.delete(key);
      this.removeFromNode(state);
    }
    this.place(pod, false);
  }

  updatePod(_oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const state = this.podStates.get(key);
    if (state) {
      this.removeFromNode(state);
      this.assumedKeys.delete(key);
    }
    this.place(newPod, false);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state) return;
    this.removeFromNode(state);
    this.podStates.delete(key);
    this.assumedKeys.delete(key);
  }

  /** The cycle chose `pod.spec.nodeName`: count the pod there until the informer confirms it. */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    this.place(pod, true);
    this.assumedKeys.add(key);
  }

  /** Binding returned: from now on the assumed pod may expire if never confirmed. */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(podKey(pod));
    if (!state?.assumed) return;
    state.bindingFinished = true;
    if (this.ttlMs > 0) state.deadlineMs = this.nowMs() + this.ttlMs;
  }

  /** Binding failed: take the assumed pod back off its node. A confirmed pod stays. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state?.assumed) return;
    this.removePod(pod);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumedKeys.has(podKey(pod));
  }

  /** The pod as the cache holds it (assumed or confirmed), with the node it counts on. */
  getPod(pod: Pod): { pod: Pod; nodeName: string; assumed: boolean } | undefined {
    const state = this.podStates.get(podKey(pod));
    return state && { pod: state.podInfo.pod, nodeName: state.nodeName, assumed: state.assumed };
  }

  /** Releases assumed pods whose binding finished longer than the TTL ago; returns them. */
  cleanupAssumedPods(nowMs = this.nowMs()): Pod[] {
    const expired: Pod[] = [];
    for (const key of this.assumedKeys) {
      const state = this.podStates.get(key)!;
      if (state.bindingFinished && state.deadlineMs !== undefined && state.deadlineMs < nowMs) expired.push(state.podInfo.pod);
    }
    for (const pod of expired) this.removePod(pod);
    return expired;
  }

  private place(pod: Pod, assumed: boolean): void {
    const nodeName = pod.spec?.nodeName ?? '';
    const podInfo = newPodInfo(pod);
    let info = this.nodeInfos.get(nodeName);
    if (!info) {
      // The pod's node has not been seen yet: hold its pods until it arrives.
      info = new NodeInfo({ metadata: { name: nodeName } });
      this.nodeInfos.set(nodeName, info);
    }
    info.addPod(podInfo);
    this.changes.recordPod(podInfo, nodeName, 1);
    this.podStates.set(podInfo.key, { podInfo, nodeName, assumed, bindingFinished: false });
    if (hasAffinityTerms(podInfo)) this.snapshot.affinityChanged();
  }

  private removeFromNode(state: PodState): void {
    const info = this.nodeInfos.get(state.nodeName);
    if (!info) return;
    if (info.removePod(state.podInfo.key)) this.changes.recordPod(state.podInfo, state.nodeName, -1);
    if (hasAffinityTerms(state.podInfo)) this.snapshot.affinityChanged();
    if (info.pods.length === 0 && !this.snapshot.nodeInfoMap.has(state.nodeName)) this.nodeInfos.delete(state.nodeName);
  }
}
