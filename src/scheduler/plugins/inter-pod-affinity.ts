// Filter: required pod affinity and anti-affinity of the incoming pod, and the required
// anti-affinity of pods already placed, counted per topology domain (topologyKey=value).
// Score: preferred terms both ways (plus existing pods' required affinity at
// hardPodAffinityWeight), min-max normalised to 0..100.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { affinityTermMatches, type AffinityTerm, type NamespaceLabels } from '../framework/affinity-term.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { newPodInfo, type PodInfo } from '../framework/pod-info.js';
import { Status } from '../framework/status.js';

export const NAME = 'InterPodAffinity';
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;
const DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
}

/** "key\0value" -> number of matching terms/pods in that topology domain. */
type TopologyCounts = Map<string, number>;
const pairKey = (key: string, value: string): string => `${key}\0${value}`;

function bump(counts: TopologyCounts, node: Node, topologyKey: string, by: number): void {
  const value = node.metadata?.labels?.[topologyKey];
  if (value === undefined) return;
  const k = pairKey(topologyKey, value);
  counts.set(k, (counts.get(k) ?? 0) + by);
}

interface PreFilterState {
  podInfo: PodInfo;
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

const matchesAll = (terms: readonly AffinityTerm[], pod: Pod, ns: NamespaceLabels): boolean =>
  terms.every((t) => affinityTermMatches(t, pod, ns));

function computePreFilterState(state: CycleState, pod: Pod): PreFilterState {
  const podInfo = newPodInfo(pod);
  const ns = state.snapshot.namespaceLabels;
  const existingAntiAffinityCounts: TopologyCounts = new Map();
  for (const nodeInfo of state.snapshot.havePodsWithRequiredAntiAffinity()) {
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity) {
      for (const term of existing.requiredAntiAffinityTerms) {
        if (affinityTermMatches(term, pod, ns)) bump(existingAntiAffinityCounts, nodeInfo.node, term.topologyKey, 1);
      }
    }
  }
  const affinityCounts: TopologyCounts = new Map();
  const antiAffinityCounts: TopologyCounts = new Map();
  if (podInfo.requiredAffinityTerms.length > 0 || podInfo.requiredAntiAffinityTerms.length > 0) {
    for (const nodeInfo of state.snapshot.nodeInfoList) {
      for (const existing of nodeInfo.pods) {
        // Affinity counts a pod only if it matches every term; anti-affinity term by term.
        if (podInfo.requiredAffinityTerms.length > 0 && matchesAll(podInfo.requiredAffinityTerms, existing.pod, ns)) {
          for (const t of podInfo.requiredAffinityTerms) bump(affinityCounts, nodeInfo.node, t.topologyKey, 1);
        }
        for (const t of podInfo.requiredAntiAffinityTerms) {
          if (affinityTermMatches(t, existing.pod, ns)) bump(antiAffinityCounts, nodeInfo.node, t.topologyKey, 1);
        }
      }
    }
  }
  return { podInfo, existingAntiAffinityCounts, affinityCounts, antiAffinityCounts };
}

function satisfiesPodAffinity(s: PreFilterState, nodeInfo: NodeInfo, ns: NamespaceLabels): boolean {
  let podsExist = true;
  for (const term of s.podInfo.requiredAffinityTerms) {
    const value = nodeInfo.labels[term.topologyKey];
    // Every topology key must be on the node.
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself must not wait forever for a peer.
  return s.affinityCounts.size === 0 && matchesAll(s.podInfo.requiredAffinityTerms, s.podInfo.pod, ns);
}

function satisfiesPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  return s.podInfo.requiredAntiAffinityTerms.every((term) => {
    const value = nodeInfo.labels[term.topologyKey];
    return value === undefined || (s.antiAffinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0;
  });
}

function satisfiesExistingPodsAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, value] of Object.entries(nodeInfo.labels)) {
    if ((s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0) return false;
  }
  return true;
}

/** topologyKey -> value -> score. */
type TopologyScores = Map<string, Map<string, number>>;

function addTermScore(scores: TopologyScores, term: AffinityTerm, weight: number, pod: Pod, ns: NamespaceLabels, node: Node): void {
  if (!affinityTermMatches(term, pod, ns)) return;
  const value = node.metadata?.labels?.[term.topologyKey];
  if (value === undefined) return;
  const byValue = scores.get(term.topologyKey) ?? new Map<string, number>();
  byValue.set(value, (byValue.get(value) ?? 0) + weight);
  scores.set(term.topologyKey, byValue);
}

export function newInterPodAffinity(rawArgs?: unknown): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const hardPodAffinityWeight = ((rawArgs ?? {}) as InterPodAffinityArgs).hardPodAffinityWeight ?? DEFAULT_HARD_POD_AFFINITY_WEIGHT;

  return {
    name: NAME,
    preFilter(state, pod): Status {
      const s = computePreFilterState(state, pod);
      const nothingToCheck =
        s.podInfo.requiredAffinityTerms.length === 0 && s.podInfo.requiredAntiAffinityTerms.length === 0 && s.existingAntiAffinityCounts.size === 0;
      if (nothingToCheck) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
      return Status.success();
    },
    filter(state, pod, nodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY) ?? computePreFilterState(state, pod);
      // Affinity is unresolvable by preemption: evicting pods cannot create a matching peer.
      if (!satisfiesPodAffinity(s, nodeInfo, state.snapshot.namespaceLabels)) return Status.unresolvable(ERR_REASON_AFFINITY);
      if (!satisfiesPodAntiAffinity(s, nodeInfo)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      if (!satisfiesExistingPodsAntiAffinity(s, nodeInfo)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      return Status.success();
    },
    preScore(state, pod): Status {
      const podInfo = newPodInfo(pod);
      const hasPreferred = podInfo.preferredAffinityTerms.length > 0 || podInfo.preferredAntiAffinityTerms.length > 0;
      const nodesToScan = hasPreferred ? state.snapshot.nodeInfoList : state.snapshot.havePodsWithAffinity();
      if (!hasPreferred && nodesToScan.length === 0) return Status.skip();
      const ns = state.snapshot.namespaceLabels;
      const scores: TopologyScores = new Map();
      for (const nodeInfo of nodesToScan) {
        const node = nodeInfo.node;
        if (Object.keys(nodeInfo.labels).length === 0) continue;
        for (const existing of hasPreferred ? nodeInfo.pods : nodeInfo.podsWithAffinity) {
          for (const t of podInfo.preferredAffinityTerms) addTermScore(scores, t, t.weight, existing.pod, ns, node);
          for (const t of podInfo.preferredAntiAffinityTerms) addTermScore(scores, t, -t.weight, existing.pod, ns, node);
          if (hardPodAffinityWeight > 0) {
            for (const t of existing.requiredAffinityTerms) addTermScore(scores, t, hardPodAffinityWeight, pod, ns, node);
          }
          for (const t of existing.preferredAffinityTerms) addTermScore(scores, t, t.weight, pod, ns, node);
          for (const t of existing.preferredAntiAffinityTerms) addTermScore(scores, t, -t.weight, pod, ns, node);
        }
      }
      state.write(PRE_SCORE_KEY, scores);
      return Status.success();
    },
    score(state, _pod, nodeInfo): number {
      const scores = state.read<TopologyScores>(PRE_SCORE_KEY);
      let total = 0;
      for (const [key, byValue] of scores ?? []) {
        const value = nodeInfo.labels[key];
        if (value !== undefined) total += byValue.get(value) ?? 0;
      }
      return total;
    },
    normalizeScore(state, _pod, scores): Status {
      if ((state.read<TopologyScores>(PRE_SCORE_KEY)?.size ?? 0) === 0) return Status.success();
      let min = Infinity;
      let max = -Infinity;
      for (const score of scores) {
        min = Math.min(min, score);
        max = Math.max(max, score);
      }
      const spread = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = spread > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / spread) : 0;
      return Status.success();
    },
  };
}
