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
import type { Snapshot } from '../framework/snapshot.js';
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

/** A selector as a memo key: the nothing-selector and the everything-selector both print "". */
const selectorKey = (selector: LabelSelector): string => (selector.selectsNothing() ? '\u0001nothing' : selector.toString());

/** Whether one placed pod counts toward a constraint's domain (countMatching for one pod). */
function podCounts(p: PodInfo, selector: LabelSelector, namespace: string): boolean {
  if (p.pod.metadata?.deletionTimestamp || (p.pod.metadata?.namespace ?? 'default') !== namespace) return false;
  return selector.matches(p.pod.metadata?.labels ?? {});
}

/** Domain totals kept per plugin instance; past this many distinct keys they start over. */
export const DOMAIN_TOTALS_MAX_ENTRIES = 1_000;

interface DomainTotals {
  snapshot: Snapshot;
  podSeq: number;
  nodesVersion: number;
  /** Domain value -> matching pods, with every eligible node's domain present (0 when empty). */
  counts: Map<string, number>;
}

/**
 * Matching pods per domain of one constraint over every eligible node: nodes with all of
 * `keysFrom`'s topology keys (when `requireAll`) that the pod's inclusion policies accept. On a
 * live snapshot the totals are kept between pods and caught up from its change log (consecutive
 * pods of one workload share them), so a pod costs O(changes) instead of O(nodes); a node change
 * or a log that no longer reaches back recomputes. The map is shared: read it, do not keep it.
 */
class DomainTotalsCache {
  private readonly entries = new Map<string, DomainTotals>();

  get(snapshot: Snapshot, pod: Pod, c: Constraint, keysFrom: readonly Constraint[], requireAll: boolean, namespace: string): Map<string, number> {
    const log = snapshot.changes;
    if (!log) return this.compute(snapshot, pod, c, keysFrom, requireAll, namespace);
    const affinity = c.honorNodeAffinity ? JSON.stringify([pod.spec?.nodeSelector, pod.spec?.affinity?.nodeAffinity]) : '';
    const tolerations = c.honorNodeTaints ? JSON.stringify(pod.spec?.tolerations ?? []) : '';
    const keys = requireAll ? keysFrom.map((k) => k.topologyKey).join(',') : '';
    const key = [namespace, c.topologyKey, selectorKey(c.selector), keys, affinity, tolerations].join('\0');
    const entry = this.entries.get(key);
    if (entry && entry.snapshot === snapshot && entry.nodesVersion === log.nodesVersion) {
      const changes = log.podChangesSince(entry.podSeq);
      if (changes) {
        for (const change of changes) {
          // Most changes are other workloads' pods: rule them out before looking at their node.
          if (!podCounts(change.podInfo, c.selector, namespace)) continue;
          const nodeInfo = snapshot.get(change.nodeName);
          if (!nodeInfo || (requireAll && !hasAllTopologyKeys(nodeInfo.node, keysFrom)) || !nodeIncluded(pod, nodeInfo.node, c)) continue;
          const value = nodeInfo.labels[c.topologyKey] ?? '';
          entry.counts.set(value, (entry.counts.get(value) ?? 0) + change.sign);
        }
        entry.podSeq = log.podSeq;
        return entry.counts;
      }
    }
    const counts = this.compute(snapshot, pod, c, keysFrom, requireAll, namespace);
    if (this.entries.size >= DOMAIN_TOTALS_MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { snapshot, podSeq: log.podSeq, nodesVersion: log.nodesVersion, counts });
    return counts;
  }

  private compute(snapshot: Snapshot, pod: Pod, c: Constraint, keysFrom: readonly Constraint[], requireAll: boolean, namespace: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const nodeInfo of snapshot.nodeInfoList) {
      if (requireAll && !hasAllTopologyKeys(nodeInfo.node, keysFrom)) continue;
      if (!nodeIncluded(pod, nodeInfo.node, c)) continue;
      const value = nodeInfo.labels[c.topologyKey] ?? '';
      counts.set(value, (counts.get(value) ?? 0) + (nodeInfo.pods.length === 0 ? 0 : countMatching(nodeInfo.pods, c.selector, namespace)));
    }
    return counts;
  }
}

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: domain value -> matching pods. */
  domainCounts: Map<string, number>[];
  /** Per constraint: the smallest domain count (0 with fewer domains than minDomains), once per cycle rather than per node. */
  globalMins: number[];
}

/** Selectors memoised per node; past this many on one node its memo starts over. */
const NODE_COUNT_MEMO_MAX_ENTRIES = 64;

/** countMatching on one node, memoised by selector and the node's generation (hostname scoring asks per node per pod). */
function countOnNode(nodeInfo: NodeInfo, selector: LabelSelector, memoKey: string, namespace: string): number {
  if (nodeInfo.pods.length === 0) return 0;
  const memo = (nodeInfo.matchingPodCounts ??= new Map());
  const hit = memo.get(memoKey);
  if (hit && hit.generation === nodeInfo.generation) return hit.count;
  const count = countMatching(nodeInfo.pods, selector, namespace);
  if (memo.size >= NODE_COUNT_MEMO_MAX_ENTRIES) memo.clear();
  memo.set(memoKey, { generation: nodeInfo.generation, count });
  return count;
}

/** Distinct memo keys kept canonical; past this many the table starts over. */
const MEMO_KEY_INTERN_MAX_ENTRIES = 1_000;
const internedMemoKeys = new Map<string, string>();

/**
 * The one string instance used for a memo key: every node's memo then finds its entry by
 * identity instead of comparing a freshly built key character by character, per node.
 */
function internMemoKey(key: string): string {
  const known = internedMemoKeys.get(key);
  if (known !== undefined) return known;
  if (internedMemoKeys.size >= MEMO_KEY_INTERN_MAX_ENTRIES) internedMemoKeys.clear();
  internedMemoKeys.set(key, key);
  return key;
}

function computePreFilterState(state: CycleState, pod: Pod, totals: DomainTotalsCache): PreFilterState {
  const constraints = podConstraints(pod, 'DoNotSchedule');
  // Most pods have no hard constraints: do not walk every node to count nothing.
  if (constraints.length === 0) return { constraints, domainCounts: [], globalMins: [] };
  const namespace = pod.metadata?.namespace ?? 'default';
  const domainCounts = constraints.map((c) => totals.get(state.snapshot, pod, c, constraints, true, namespace));
  const globalMins = constraints.map((c, i) => {
    const counts = domainCounts[i]!;
    // Too few domains for minDomains: the global minimum is taken as 0.
    if (counts.size < c.minDomains) return 0;
    let min = Infinity;
    for (const n of counts.values()) min = Math.min(min, n);
    return min;
  });
  return { constraints, domainCounts, globalMins };
}

interface PreScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /**
   * Per constraint: domain value -> matching pods, only for domains that hold a candidate node.
   * Nested by constraint rather than keyed "key\0value": building and hashing a fresh string
   * per node and constraint dominated the cost of scoring on large clusters.
   */
  domainCounts: Map<string, number>[];
  normalizingWeights: number[];
  /** Per constraint: the key hostname counts are memoised under on each node. */
  memoKeys: string[];
}

/** One node's score before normalisation: matching pods per domain, weighted by the domains' count. */
function scoreNode(s: PreScoreState | undefined, namespace: string, nodeInfo: NodeInfo): number {
  // Most cycles ignore no node (system defaults never do): skip the name lookup then.
  if (!s || (s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodeInfo.name))) return 0;
  const labels = nodeInfo.labels;
  let score = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const value = labels[c.topologyKey];
    if (value === undefined) continue;
    const count = c.topologyKey === HOSTNAME_LABEL ? countOnNode(nodeInfo, c.selector, s.memoKeys[i]!, namespace) : (s.domainCounts[i]!.get(value) ?? 0);
    score += count * s.normalizingWeights[i]! + (c.maxSkew - 1);
  }
  return Math.round(score);
}

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

  const totals = new DomainTotalsCache();

  return {
    name: NAME,
    preFilter(state, pod): Status {
      const s = computePreFilterState(state, pod, totals);
      if (s.constraints.length === 0) return Status.skip();
      state.write(PRE_FILTER_KEY, s);
      return Status.success();
    },
    filter(state, pod, nodeInfo): Status {
      const s = state.read<PreFilterState>(PRE_FILTER_KEY) ?? computePreFilterState(state, pod, totals);
      const podLabels = pod.metadata?.labels ?? {};
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const value = nodeInfo.labels[c.topologyKey];
        if (value === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        const counts = s.domainCounts[i]!;
        const globalMin = s.globalMins[i]!;
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
      const namespace = pod.metadata?.namespace ?? 'default';
      const s: PreScoreState = {
        constraints,
        ignoredNodes: new Set(),
        domainCounts: constraints.map(() => new Map()),
        normalizingWeights: [],
        memoKeys: constraints.map((c) => internMemoKey(`${namespace}\0${selectorKey(c.selector)}`)),
      };
      for (const nodeInfo of filteredNodes) {
        if (requireAllTopologies && !hasAllTopologyKeys(nodeInfo.node, constraints)) {
          s.ignoredNodes.add(nodeInfo.name);
          continue;
        }
        // Indexed: entries() would allocate an iterator per candidate node.
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i]!;
          if (c.topologyKey === HOSTNAME_LABEL) continue;
          const counts = s.domainCounts[i]!;
          const value = nodeInfo.labels[c.topologyKey] ?? '';
          if (!counts.has(value)) counts.set(value, 0);
        }
      }
      s.normalizingWeights = constraints.map((c, i) => {
        const size = c.topologyKey === HOSTNAME_LABEL ? filteredNodes.length - s.ignoredNodes.size : s.domainCounts[i]!.size;
        return Math.log(size + 2);
      });
      // Hostname domains are counted per node at Score time; the others need every node's pods,
      // which the domain totals keep across pods. Only domains holding a candidate are scored.
      for (const [i, c] of constraints.entries()) {
        if (c.topologyKey === HOSTNAME_LABEL) continue;
        const all = totals.get(state.snapshot, pod, c, constraints, requireAllTopologies, namespace);
        const counts = s.domainCounts[i]!;
        for (const value of counts.keys()) counts.set(value, all.get(value) ?? 0);
      }
      state.write(PRE_SCORE_KEY, s);
      return Status.success();
    },
    score(state, pod, nodeInfo: NodeInfo): number {
      return scoreNode(state.read<PreScoreState>(PRE_SCORE_KEY), pod.metadata?.namespace ?? 'default', nodeInfo);
    },
    scoreNodes(state, pod, nodes, out): undefined {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      const namespace = pod.metadata?.namespace ?? 'default';
      for (let i = 0; i < nodes.length; i++) out[i] = scoreNode(s, namespace, nodes[i]!);
      return undefined;
    },
    normalizeScore(state, _pod, scores, nodes): Status {
      const s = state.read<PreScoreState>(PRE_SCORE_KEY);
      if (!s) return Status.success();
      let min = Infinity;
      let max = 0;
      const ignoresSome = s.ignoredNodes.size > 0;
      for (let i = 0; i < scores.length; i++) {
        if (ignoresSome && s.ignoredNodes.has(nodes[i]!.name)) continue;
        min = Math.min(min, scores[i]!);
        max = Math.max(max, scores[i]!);
      }
      for (let i = 0; i < scores.length; i++) {
        if (ignoresSome && s.ignoredNodes.has(nodes[i]!.name)) scores[i] = 0;
        else if (max === 0) scores[i] = MAX_NODE_SCORE;
        else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
      }
      return Status.success();
    },
  };
}
