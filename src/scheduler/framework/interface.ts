// The extension points a plugin may implement. A plugin is one object with a `name` and only
// the methods for the points it needs; the Framework discovers them by shape.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Status } from './status.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface NodeScore {
  name: string;
  score: number;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  /** Success, Skip (this plugin's Filter is not run), or a rejection of the pod on every node. */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

export interface PostFilterResult {
  status: Status;
  nominatedNodeName?: string;
  /** Pods to delete so the preemptor fits (filled by preemption). */
  victims?: Pod[];
}

export interface PostFilterPlugin extends Plugin {
  /** Runs when no node fits; `nodeStatuses` holds each node's rejecting Status. */
  postFilter(state: CycleState, pod: Pod, nodeStatuses: ReadonlyMap<string, Status>): PostFilterResult;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  /** A score (unnormalised unless the plugin has no normalizeScore), or an error Status. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  /**
   * Optional, for the plugins that score every candidate of every pod: the same answers as
   * `score`, for all nodes at once into `out[i]` for `nodes[i]`; an error Status stops it. One
   * call per cycle instead of one per node, and the plugin reads its cycle state once.
   */
  scoreNodes?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: number[]): Status | undefined;
  /**
   * Rescales the scores in place to 0..MAX_NODE_SCORE; `scores[i]` is the score of `nodes[i]`
   * (upstream's NodeScoreList as two arrays, so a cycle allocates no object per node).
   */
  normalizeScore?(state: CycleState, pod: Pod, scores: number[], nodes: readonly NodeInfo[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitResult {
  status: Status;
  /** How long a Wait may last before the pod is rejected. */
  timeoutMs?: number;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): PermitResult;
}

export interface PreBindPlugin extends Plugin {
  /** Runs after Permit, before Bind, with I/O allowed (VolumeBinding binds the pod's volumes here). */
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** Skip lets the next bind plugin try; I/O belongs to the caller-supplied binder. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface PreEnqueuePlugin extends Plugin {
  /** Rejects pods that must not enter the active queue yet (scheduling gates). */
  preEnqueue(pod: Pod): Status;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfoView, b: QueuedPodInfoView): boolean;
}

/** What a QueueSort plugin compares. */
export interface QueuedPodInfoView {
  pod: Pod;
  timestampMs: number;
}

export const isPreFilter = (p: Plugin): p is PreFilterPlugin => typeof (p as PreFilterPlugin).preFilter === 'function';
export const isFilter = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => typeof (p as PostFilterPlugin).postFilter === 'function';
export const isPreScore = (p: Plugin): p is PreScorePlugin => typeof (p as PreScorePlugin).preScore === 'function';
export const isScore = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
export const isReserve = (p: Plugin): p is ReservePlugin => typeof (p as ReservePlugin).reserve === 'function';
export const isPermit = (p: Plugin): p is PermitPlugin => typeof (p as PermitPlugin).permit === 'function';
export const isPreBind = (p: Plugin): p is PreBindPlugin => typeof (p as PreBindPlugin).preBind === 'function';
export const isBind = (p: Plugin): p is BindPlugin => typeof (p as BindPlugin).bind === 'function';
export const isPreEnqueue = (p: Plugin): p is PreEnqueuePlugin => typeof (p as PreEnqueuePlugin).preEnqueue === 'function';
export const isQueueSort = (p: Plugin): p is QueueSortPlugin => typeof (p as QueueSortPlugin).less === 'function';
