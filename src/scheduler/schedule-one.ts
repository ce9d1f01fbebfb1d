// One scheduling decision, with no I/O: PreFilter, Filter over (an adaptive share of) the
// nodes, PreScore/Score, pick the best node with ties broken at random; when nothing fits,
// PostFilter (preemption) and upstream's FailedScheduling message.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import { nodeScores } from './framework/score-result.js';
import type { NodeScore } from './framework/interface.js';
import { NodeInfo } from './framework/node-info.js';
import { newPodInfo, podKey, podPriority } from './framework/pod-info.js';
import type { Snapshot } from './framework/snapshot.js';
import { Status } from './framework/status.js';
import { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error.js';

/** Below this many nodes every node is evaluated. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** Adaptive percentage = 50% minus 1% per 125 nodes. */
const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;
const NODES_PER_PERCENT_DROP = 125;

export interface ScheduleOptions {
  /** 0 or unset: adaptive, as upstream's default. */
  percentageOfNodesToScore?: number;
  /** [0,1) source for tie-breaking; Math.random by default. */
  random?: () => number;
  /** Where the round-robin node search starts (the previous result's nextStartNodeIndex). */
  startNodeIndex?: number;
  /** Pods nominated (by earlier preemption) to a node; they hold room for pods of lower priority. Unset when none are. */
  nominatedPodsForNode?: (nodeName: string) => readonly Pod[];
}

export interface Scheduled {
  node: string;
  state: CycleState;
  evaluatedNodes: number;
  feasibleNodes: number;
  nextStartNodeIndex: number;
  /** Total weighted scores of the scored nodes (empty when only one node was feasible). */
  scores: NodeScore[];
}

export interface Unschedulable {
  unschedulable: {
    message: string;
    /** Each rejected node's Status; reasons are what the message counts. */
    nodeStatuses: Map<string, Status>;
    /** Plugins that rejected the pod: the queue moves it back on events that concern them. */
    unschedulablePlugins: Set<string>;
    /** Set by preemption: the node the pod waits for once `victims` are deleted. */
    nominatedNodeName?: string;
    victims?: Pod[];
  };
  state: CycleState;
  nextStartNodeIndex: number;
}

export interface ScheduleError {
  error: Status;
  nextStartNodeIndex: number;
}

export type ScheduleResult = Scheduled | Unschedulable | ScheduleError;

/** How many feasible nodes to look for before stopping the search, as upstream. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage <= 0) {
    percentage = BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / NODES_PER_PERCENT_DROP);
    percentage = Math.max(percentage, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  }
  const numNodes = Math.trunc((numAllNodes * Math.min(percentage, 100)) / 100);
  return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
}

/**
 * Filters a node as if the higher-or-equal priority pods nominated to it were already there,
 * and then as it is, so a nominated preemptor's room is not taken by a lower-priority pod.
 */
function filterWithNominatedPods(fw: Framework, state: CycleState, pod: Pod, nodeInfo: NodeInfo, options: ScheduleOptions): Status {
  const forNode = options.nominatedPodsForNode?.(nodeInfo.name);
  const nominated = forNode && forNode.length > 0 ? forNode.filter((p) => podKey(p) !== podKey(pod) && podPriority(p) >= podPriority(pod)) : [];
  if (nominated.length > 0) {
    const withNominated = nodeInfo.clone();
    for (const p of nominated) withNominated.addPod(newPodInfo(p));
    const s = fw.runFilterPlugins(state, pod, withNominated);
    if (!s.isSuccess()) return s;
  }
  return fw.runFilterPlugins(state, pod, nodeInfo);
}

/** Reservoir sampling over the nodes sharing the highest total score. */
export function selectHost(scores: readonly NodeScore[], random: () => number): string {
  return scores[selectHostIndex(scores.map((s) => s.score), random)]!.name;
}

/** selectHost over plain totals (as the framework sums them): the index of the node chosen. */
export function selectHostIndex(totals: readonly number[], random: () => number): number {
  if (totals.length === 0) throw new Error('empty priority list');
  let best = 0;
  let bestScore = totals[0]!;
  let tied = 1;
  for (let i = 1; i < totals.length; i++) {
    const score = totals[i]!;
    if (score > bestScore) {
      best = i;
      bestScore = score;
      tied = 1;
    } else if (score === bestScore) {
      tied++;
      if (Math.floor(random() * tied) === 0) best = i;
    }
  }
  return best;
}

export function scheduleOne(fw: Framework, snapshot: Snapshot, pod: Pod, options: ScheduleOptions = {}): ScheduleResult {
  const random = options.random ?? Math.random;
  const allNodes = snapshot.nodeInfoList;
  const start = allNodes.length === 0 ? 0 : (options.startNodeIndex ?? 0) % allNodes.length;
  if (allNodes.length === 0) return { error: Status.error(NO_NODES_AVAILABLE), nextStartNodeIndex: 0 };

  const state = new CycleState(snapshot);
  const nodeStatuses = new Map<string, Status>();
  const unschedulablePlugins = new Set<string>();

  const preFilter = fw.runPreFilterPlugins(state, pod);
  if (preFilter.code === 'Error') return { error: preFilter, nextStartNodeIndex: start };
  if (preFilter.isRejected()) {
    // Every node shares the PreFilter verdict; preemption sees them all as unresolvable or not.
    for (const n of allNodes) nodeStatuses.set(n.name, preFilter);
    unschedulablePlugins.add(preFilter.plugin);
    return fail(fw, state, pod, allNodes.length, nodeStatuses, unschedulablePlugins, start, preFilter.message());
  }

  const feasible: NodeInfo[] = [];
  let evaluated = 0;
  const nominatedNodeName = pod.status?.nominatedNodeName;
  const nominatedNode = nominatedNodeName ? snapshot.get(nominatedNodeName) : undefined;
  // A pod that preempted for a node tries that node first, and takes it if it fits.
  if (nominatedNode && filterWithNominatedPods(fw, state, pod, nominatedNode, options).isSuccess()) {
    feasible.push(nominatedNode);
  } else {
    const wanted = numFeasibleNodesToFind(options.percentageOfNodesToScore ?? fw.profile.percentageOfNodesToScore, allNodes.length);
    const hasFilters = fw.hasFilterPlugins();
    // The round-robin index wraps by comparison rather than a division per node.
    let index = start;
    for (; evaluated < allNodes.length && feasible.length < wanted; evaluated++, index = index + 1 === allNodes.length ? 0 : index + 1) {
      const nodeInfo = allNodes[index]!;
      const s = hasFilters ? filterWithNominatedPods(fw, state, pod, nodeInfo, options) : Status.success();
      if (s.isSuccess()) feasible.push(nodeInfo);
      else if (s.code === 'Error') return { error: s, nextStartNodeIndex: index };
      else {
        nodeStatuses.set(nodeInfo.name, s);
        unschedulablePlugins.add(s.plugin);
      }
    }
  }
  const nextStartNodeIndex = (start + evaluated) % allNodes.length;

  if (feasible.length === 0) return fail(fw, state, pod, allNodes.length, nodeStatuses, unschedulablePlugins, nextStartNodeIndex);

  const base = { state, evaluatedNodes: evaluated || 1, feasibleNodes: feasible.length, nextStartNodeIndex };
  if (feasible.length === 1) return { node: feasible[0]!.name, scores: [], ...base };

  const preScore = fw.runPreScorePlugins(state, pod, feasible);
  if (!preScore.isSuccess()) return { error: preScore, nextStartNodeIndex };
  const scored = fw.runScorePlugins(state, pod, feasible);
  if (scored instanceof Status) return { error: scored, nextStartNodeIndex };
  const totals = scored.totals;
  const node = feasible[selectHostIndex(totals, random)]!.name;
  // The by-name list is for callers that look (tests, debugging); the loop itself never does.
  let scores: NodeScore[] | undefined;
  return {
    node,
    get scores() {
      scores ??= nodeScores(feasible, totals);
      return scores;
    },
    ...base,
  };
}

function fail(
  fw: Framework,
  state: CycleState,
  pod: Pod,
  numAllNodes: number,
  nodeStatuses: Map<string, Status>,
  unschedulablePlugins: Set<string>,
  nextStartNodeIndex: number,
  preFilterMessage?: string,
): Unschedulable | ScheduleError {
  const post = fw.postFilter.length > 0 ? fw.runPostFilterPlugins(state, pod, nodeStatuses) : undefined;
  if (post?.status.code === 'Error') return { error: post.status, nextStartNodeIndex };
  const postFilterMessage = post?.status.message() || undefined;
  const message = fitErrorMessage(numAllNodes, { nodeStatuses, preFilterMessage, postFilterMessage });
  return {
    unschedulable: {
      message,
      nodeStatuses,
      unschedulablePlugins,
      ...(post?.nominatedNodeName ? { nominatedNodeName: post.nominatedNodeName, victims: post.victims ?? [] } : {}),
    },
    state,
    nextStartNodeIndex,
  };
}
