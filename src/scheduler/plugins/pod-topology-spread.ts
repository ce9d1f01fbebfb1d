// Filter (whenUnsatisfiable: DoNotSchedule): placing the pod must keep, for each constraint,
// matching pods in the node's domain minus the global minimum within maxSkew.
// Score (ScheduleAnyway, and the system defaults for pods without constraints): fewer matching
// pods in the node's domains is better, each constraint weighted by log(domains + 2).
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { MAX_NODE_SCORE } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { podMatchesNodeSelectorAndAffinity } from '../framework/node-selector.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Status } from '../framework/status.js';
import { findUntoleratedTaint, HARD_TAINT_EFFECTS } from '../framework/tolerations.js';
import { defaultSpreadSelector } from './default-selector.js';

export const NAME = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;
const PRE_FILTER_KEY = `PreFilter${NAME}`;
const PRE_SCORE_KEY = `PreScore${NAME}`;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

type Unsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';

/** Used when the profile keeps defaultingType System: spread by hostname and zone, softly. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly DefaultConstraint[] = [
  { topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: ZONE_LABEL, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export interface DefaultConstraint {
  topologyKey: string;
  whenUnsatisfiable: Unsatisfiable;
  maxSkew: number;
}

export interface PodTopologySpreadArgs {
  defaultConstraints?: DefaultConstraint[];
  defaultingType?: 'System' | 'List';
}

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

function selectorWithMatchLabelKeys(pod: Pod, c: TopologySpreadConstraint): LabelSelector {
  if (!c.labelSelector) return labelSelectorFromObject(null);
  const podLabels = pod.metadata?.labels ?? {};
  const extra = (c.matchLabelKeys ?? [])
    .filter((k) => podLabels[k] !== undefined)
    .map((k) => ({ key: k, operator: 'In', values: [podLabels[k]!] }));
  return labelSelectorFromObject({ ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] });
}

function podConstraints(pod: Pod, when: Unsatisfiable): Constraint[] {
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === when)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: selectorWithMatchLabelKeys(pod, c),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    }));
}

const hasAllTopologyKeys = (node: Node, constraints: readonly Constraint[]): boolean =>
  constraints.every((c) => node.metadata?.labels?.[c.topologyKey] !== undefined);

function nodeIncluded(pod: Pod, node: Node, c: Constraint): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.spec?.taints ?? [], pod.spec?.tolerations ?? [], HARD_TAINT_EFFECTS)) return false;
  return true;
}

/** Pods being deleted and pods of other namespaces do not count. */
function countMatching(pods: readonly PodInfo[], selector: LabelSelector, namespace: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.pod.metadata?.deletionTimestamp || (p.pod.metadata?.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(p.pod.metadata?.labels ?? {})) n++;
  }
  return n;
}

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: domain value -> matching pods. */
  domainCounts: Map<string, number>[];
}

function computePreFilterState(state: CycleState, pod: Pod): PreFilterState {
  const constraints = podConstraints(pod, 'DoNotSchedule');
  const domainCounts = constraints.map(() => new Map<string, number>());
  const namespace = pod.metadata?.namespace ?? 'default';
  for (const nodeInfo of state.snapshot.nodeInfoList) {
    if (!hasAllTopologyKeys(nodeInfo.node, constraints)) continue;
    for (const [i, c] of constraints.entries()) {
      if (!nodeIncluded(pod, nodeInfo.node, c)) continue;
      const value = nodeInfo.labels[c.topologyKey]!;
      const counts = domainCounts[i]!;
      counts.set(value, (counts.get(value) ?? 0) + countMatching(nodeInfo.pods, c.selector, namespace));
    }
  }
  return { constraints, domainCounts };
}

interface PreScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /** "key\0value" -> matching pods, only for domains that hold a candidate node. */
  pairCounts: Map<string, number>;
  normalizingWeights: number[];
}

const pairKey = (key: string, value: string): string => `${key}\0${value}`;

export function newPodTopologySpread(rawArgs?: unknown): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const args = (rawArgs ?? {}) as PodTopologySpreadArgs;
  const defaultingType = args.defaultingType ?? 'System';
  const systemDefaulted = defaultingType === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? []);

  const scoringConstraints = (state: CycleState, pod: Pod): Constraint[] => {
    if ((pod.spec?.topologySpreadConstraints ?? []).length > 0) return podConstraints(pod, 'ScheduleAnyway');
    const soft = defaults.filter((d) => d.whenUnsatisfiable === 'ScheduleAnyway');
    if (soft.length === 0) return [];
    const selector = defaultSpreadSelector(pod, state.snapshot);
    if (selector.isEmpty()) return [];
    return soft.map((d) => ({ maxSkew: d.maxSkew, topologyKey: d.topologyKey, selector, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false }));
  };

  return {
    name: NAME,
    preFilter(state, pod): Status {
      const s = computePreFilterState(state, pod);
      if (s.constraints.length === 0) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
      return Status.success();
    },
    filter(state, pod, nodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY) ?? computePreFilterState(state, pod);
      const podLabels = pod.metadata?.labels ?? {};
      for (const [i, c] of s.constraints.entries()) {
        const value = nodeInfo.labels[c.topologyKey];
        if (value === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        const counts = s.domainCounts[i]!;
        // Too few domains for minDomains: the global minimum is taken as 0.
        let globalMin = counts.size < c.minDomains ? 0 : Infinity;
        if (globalMin !== 0) for (const n of counts.values()) globalMin = Math.min(globalMin, n);
        const selfMatch = c.selector.matches(podLabels) ? 1 : 0;
        const skew = (counts.get(value) ?? 0) + selfMatch - globalMin;
        if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
      return Status.success();
    },
    preScore(state, pod, filteredNodes): Status {
      const allNodes = state.snapshot.nodeInfoList;
      if (filteredNodes.length === 0 || allNodes.length === 0) return Status.skip();
      const constraints = scoringConstraints(state, pod);
      if (constraints.length === 0) return Status.skip();
      // System defaults still spread by hostname on nodes without a zone label.
      const requireAllTopologies = (pod.spec?.topologySpreadConstraints ?? []).length > 0 || !systemDefaulted;
      const s: PreScoreState = { constraints, ignoredNodes: new Set(), pairCounts: new Map(), normalizingWeights: [] };
      const domains = constraints.map(() => 0);
      for (const nodeInfo of filteredNodes) {
        if (requireAllTopologies && !hasAllTopologyKeys(nodeInfo.node, constraints)) {
          s.ignoredNodes.add(nodeInfo.name);
          continue;
        }
        for (const [i, c] of constraints.entries()) {
          if (c.topologyKey === HOSTNAME_LABEL) continue;
          const key = pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey] ?? '');
          if (!s.pairCounts.has(key)) {
            s.pairCounts.set(key, 0);
            domains[i]!++;
          }
        }
      }
      s.normalizingWeights = constraints.map((c, i) => {
        const size = c.topologyKey === HOSTNAME_LABEL ? filteredNodes.length - s.ignoredNodes.size : domains[i]!;
        return Math.log(size + 2);
      });
      const namespace = pod.metadata?.namespace ?? 'default';
      for (const nodeInfo of allNodes) {
        if (requireAllTopologies && !hasAllTopologyKeys(nodeInfo.node, constraints)) continue;
        for (const c of constraints) {
          if (!nodeIncluded(pod, nodeInfo.node, c)) continue;
          const key = pairKey(c.topologyKey, nodeInfo.labels[c.topologyKey] ?? '');
          const current = s.pairCounts.get(key);
          // Hostname domains are counted per node at Score time.
          if (current === undefined) continue;
          s.pairCounts.set(key, current + countMatching(nodeInfo.pods, c.selector, namespace));
        }
      }
      state.write(PRE_SCORE_KEY, s);
      return Status.success();
    },
    score(state, pod, nodeInfo: NodeInfo): number {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s || s.ignoredNodes.has(nodeInfo.name)) return 0;
      const namespace = pod.metadata?.namespace ?? 'default';
      let score = 0;
      for (const [i, c] of s.constraints.entries()) {
        const value = nodeInfo.labels[c.topologyKey];
        if (value === undefined) continue;
        const count =
          c.topologyKey === HOSTNAME_LABEL ? countMatching(nodeInfo.pods, c.selector, namespace) : (s.pairCounts.get(pairKey(c.topologyKey, value)) ?? 0);
        score += count * s.normalizingWeights[i]! + (c.maxSkew - 1);
      }
      return Math.round(score);
    },
    normalizeScore(state, _pod, scores): Status {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return Status.success();
      let min = Infinity;
      let max = 0;
      for (const node of scores) {
        if (s.ignoredNodes.has(node.name)) continue;
        min = Math.min(min, node.score);
        max = Math.max(max, node.score);
      }
      for (const node of scores) {
        if (s.ignoredNodes.has(node.name)) node.score = 0;
        else if (max === 0) node.score = MAX_NODE_SCORE;
        else node.score = Math.trunc((MAX_NODE_SCORE * (max + min - node.score)) / max);
      }
      return Status.success();
    },
  };
}
