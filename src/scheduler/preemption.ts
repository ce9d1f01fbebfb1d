// Default preemption as a pure function: when no node fits, find the node where deleting the
// fewest, least important lower-priority pods (PDB-respecting first) lets the pod fit.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { labelSelectorFromObject } from '../api/selectors/labels.js';
import { CycleState } from './framework/cycle-state.js';
import type { Framework } from './framework/framework.js';
import type { NodeInfo } from './framework/node-info.js';
import { podPriority, type PodInfo } from './framework/pod-info.js';
import type { Snapshot } from './framework/snapshot.js';
import { Status } from './framework/status.js';
import { fitErrorMessage } from './fit-error.js';

export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';
/** A dry run stops once this share of the candidate nodes (at least MIN_CANDIDATE_NODES_ABSOLUTE) yielded candidates. */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface PreemptionInput {
  fw: Framework;
  snapshot: Snapshot;
  pod: Pod;
  /** Each node's Status from the failed Filter pass. */
  nodeStatuses: ReadonlyMap<string, Status>;
  /** [0,1) source for the dry run's starting offset. */
  random?: () => number;
  /** DefaultPreemptionArgs; MIN_CANDIDATE_NODES_PERCENTAGE / _ABSOLUTE when unset. */
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export interface Candidate {
  nodeName: string;
  victims: Pod[];
  pdbViolations: number;
}

export interface PreemptionResult {
  /** Success with a node and victims, or Unschedulable with "preemption: 0/N nodes ...". */
  status: Status;
  nominatedNodeName?: string;
  victims?: Pod[];
}

/** Higher priority first; among equals, the pod that started earlier. */
function moreImportant(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTimeMs(a) < startTimeMs(b);
}
const startTimeMs = (p: Pod): number => (p.status?.startTime ? Date.parse(p.status.startTime) : Number.MAX_SAFE_INTEGER);

export function eligibleToPreempt(pod: Pod, snapshot: Snapshot, nodeStatuses: ReadonlyMap<string, Status>): { ok: boolean; message: string } {
  if (pod.spec?.preemptionPolicy === 'Never') return { ok: false, message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && nodeStatuses.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
    // A victim still terminating on the nominated node will free room; preempting more is premature.
    const terminating = snapshot.get(nominated)?.pods.some((p) => p.pod.metadata?.deletionTimestamp && podPriority(p.pod) < podPriority(pod));
    if (terminating) return { ok: false, message: 'not eligible due to a terminating pod on the nominated node.' };
  }
  return { ok: true, message: '' };
}

/** Splits victims into those whose eviction would break a PodDisruptionBudget and the rest. */
export function splitByPdbViolation(victims: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const v of victims) {
    let violated = false;
    for (const [i, pdb] of pdbs.entries()) {
      if ((pdb.metadata?.namespace ?? 'default') !== (v.pod.metadata?.namespace ?? 'default')) continue;
      const selector = labelSelectorFromObject(pdb.spec?.selector ?? null);
      // A PDB with an empty selector protects nothing here, as upstream.
      if (selector.isEmpty() || !selector.matches(v.pod.metadata?.labels ?? {})) continue;
      if (pdb.status?.disruptedPods?.[v.pod.metadata?.name ?? '']) continue;
      allowed[i]!--;
      if (allowed[i]! < 0) violated = true;
    }
    (violated ? violating : nonViolating).push(v);
  }
  return { violating, nonViolating };
}

/** Filters `pod` against a what-if copy of one node, recomputing PreFilter state for it. */
function fitsOn(fw: Framework, snapshot: Snapshot, pod: Pod, nodeInfo: NodeInfo): Status {
  const state = new CycleState(snapshot.withNode(nodeInfo));
  const pre = fw.runPreFilterPlugins(state, pod);
  if (!pre.isSuccess()) return pre;
  return fw.runFilterPlugins(state, pod, nodeInfo);
}

/** Removes every lower-priority pod, then puts back as many as still let the pod fit. */
export function selectVictimsOnNode(fw: Framework, snapshot: Snapshot, pod: Pod, original: NodeInfo): { status: Status; candidate?: Candidate } {
  const nodeInfo = original.clone();
  const priority = podPriority(pod);
  const potential = nodeInfo.pods.filter((p) => podPriority(p.pod) < priority);
  if (potential.length === 0) return { status: Status.unresolvable(ERR_NO_VICTIMS) };
  for (const p of potential) nodeInfo.removePod(p.key);
  const fits = fitsOn(fw, snapshot, pod, nodeInfo);
  if (!fits.isSuccess()) return { status: fits };

  potential.sort((a, b) => (moreImportant(a.pod, b.pod) ? -1 : moreImportant(b.pod, a.pod) ? 1 : 0));
  const { violating, nonViolating } = splitByPdbViolation(potential, snapshot.objects.podDisruptionBudgets ?? []);
  const victims: Pod[] = [];
  let pdbViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    nodeInfo.addPod(p);
    if (fitsOn(fw, snapshot, pod, nodeInfo).isSuccess()) return true;
    nodeInfo.removePod(p.key);
    victims.push(p.pod);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of nonViolating) reprieve(p);
  if (victims.length === 0) return { status: Status.error(`expected at least one victim pod on node "${original.name}"`) };
  return { status: Status.success(), candidate: { nodeName: original.name, victims, pdbViolations } };
}

/** Upstream's order: fewest PDB violations, lowest top victim priority, lowest priority sum, fewest victims, latest-started top victims. */
export function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  const PRIORITY_OFFSET = 2 ** 31;
  const keys = (c: Candidate): number[] => {
    const top = Math.max(...c.victims.map(podPriority));
    const sum = c.victims.reduce((acc, v) => acc + podPriority(v) + PRIORITY_OFFSET, 0);
    const earliestTopStart = Math.min(...c.victims.filter((v) => podPriority(v) === top).map(startTimeMs));
    return [c.pdbViolations, top, sum, c.victims.length, -earliestTopStart];
  };
  let best: Candidate | undefined;
  let bestKeys: number[] = [];
  for (const c of candidates) {
    const k = keys(c);
    if (!best || lexicographicallyLess(k, bestKeys)) {
      best = c;
      bestKeys = k;
    }
  }
  return best;
}

function lexicographicallyLess(a: readonly number[], b: readonly number[]): boolean {
  for (const [i, v] of a.entries()) if (v !== b[i]) return v < b[i]!;
  return false;
}

export function preempt(input: PreemptionInput): PreemptionResult {
  const { fw, snapshot, pod, nodeStatuses } = input;
  const eligible = eligibleToPreempt(pod, snapshot, nodeStatuses);
  if (!eligible.ok) return { status: Status.unschedulable(eligible.message) };

  const all = snapshot.nodeInfoList;
  const dryRunStatuses = new Map<string, Status>();
  const potential: NodeInfo[] = [];
  for (const n of all) {
    const s = nodeStatuses.get(n.name);
    if (s?.code === 'UnschedulableAndUnresolvable') dryRunStatuses.set(n.name, Status.unresolvable(ERR_NOT_HELPFUL));
    else potential.push(n);
  }

  const candidates: Candidate[] = [];
  if (potential.length > 0) {
    const percentage = input.minCandidateNodesPercentage ?? MIN_CANDIDATE_NODES_PERCENTAGE;
    const absolute = input.minCandidateNodesAbsolute ?? MIN_CANDIDATE_NODES_ABSOLUTE;
    const wanted = Math.min(potential.length, Math.max(absolute, Math.trunc((potential.length * percentage) / 100)));
    const offset = Math.floor((input.random ?? Math.random)() * potential.length);
    let nonViolating = 0;
    for (let i = 0; i < potential.length; i++) {
      const nodeInfo = potential[(offset + i) % potential.length]!;
      const { status, candidate } = selectVictimsOnNode(fw, snapshot, pod, nodeInfo);
      if (candidate) {
        candidates.push(candidate);
        if (candidate.pdbViolations === 0) nonViolating++;
        if (nonViolating > 0 && candidates.length >= wanted) break;
      } else {
        dryRunStatuses.set(nodeInfo.name, status);
      }
    }
  }

  const chosen = pickCandidate(candidates);
  if (!chosen) {
    const message = fitErrorMessage(all.length, { nodeStatuses: dryRunStatuses });
    return { status: Status.unschedulable(`preemption: ${message}`) };
  }
  return { status: Status.success(), nominatedNodeName: chosen.nodeName, victims: chosen.victims };
}
