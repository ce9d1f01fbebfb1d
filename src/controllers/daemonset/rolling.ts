// Upstream's DaemonSet rollingUpdate (update.go). Without surge: delete old pods while at most
// maxUnavailable nodes lack an available pod (the manage pass re-creates them at the new
// revision). With maxSurge: start a new pod beside an old one on up to maxSurge nodes, and delete
// the old pod once the new one is available.
import { getScaledValueFromIntOrPercent } from '../../api/units/intstr.js';
import { isPodAvailable } from '../common/pod-util.js';
import type { DaemonSet, Node, Pod } from '../history/types.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { findUpdatedPodsOnNode } from './pods.js';

export function allowsSurge(ds: DaemonSet): boolean {
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate' || rolling?.maxSurge == null) return false;
  // A percentage of 0 or a bad value never surges.
  try {
    return getScaledValueFromIntOrPercent(rolling.maxSurge as never, 1, true) !== 0;
  } catch {
    return false;
  }
}

function scaled(value: unknown, total: number): number {
  if (value == null) return 0;
  return getScaledValueFromIntOrPercent(value as never, total, true);
}

/** [maxSurge, maxUnavailable, desired]; adds an empty entry for every node that should run a pod but has none. */
export function updatedDesiredNodeCounts(ds: DaemonSet, nodes: readonly Node[], nodeToPods: Map<string, Pod[]>): { maxSurge: number; maxUnavailable: number; desired: number } {
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    const name = node.metadata?.name ?? '';
    if (!nodeToPods.has(name)) nodeToPods.set(name, []);
  }
  const rolling = ds.spec?.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined;
  let maxUnavailable = scaled(rolling?.maxUnavailable, desired);
  const maxSurge = scaled(rolling?.maxSurge, desired);
  // An impossible configuration (both 0) still makes progress, one node at a time.
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

export interface RollingPlan {
  deletePods: string[];
  createOnNodes: string[];
}

export function rollingUpdatePlan(ds: DaemonSet, nodes: readonly Node[], nodeToPods: Map<string, Pod[]>, hash: string, nowMs: number): RollingPlan {
  const { maxSurge, maxUnavailable, desired } = updatedDesiredNodeCounts(ds, nodes, nodeToPods);
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: Pod) => isPodAvailable(pod as never, minReadySeconds, nowMs);
  const nodesByName = new Map(nodes.map((node) => [node.metadata?.name ?? '', node]));
  const shouldRunOn = (nodeName: string) => {
    const node = nodesByName.get(nodeName);
    return node !== undefined && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };

  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const pods of nodeToPods.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
        unavailable++;
      } else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (!available(oldPod!)) {
        // An unavailable old pod costs nothing to replace.
        replacements.push(oldPod!.metadata?.name ?? '');
        unavailable++;
      } else if (unavailable < maxUnavailable) {
        candidates.push(oldPod!.metadata?.name ?? '');
      }
    }
    const room = Math.min(Math.max(maxUnavailable - unavailable, 0), candidates.length);
    return { deletePods: [...replacements, ...candidates.slice(0, room)], createOnNodes: [] };
  }

  const deletePods: string[] = [];
  const shouldNotRunPods: string[] = [];
  const allowedNewNodes: string[] = [];
  const candidateNewNodes: string[] = [];
  let surging = 0;
  let availableCount = 0;
  for (const [nodeName, pods] of nodeToPods) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) availableCount++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRunOn(nodeName)) deletePods.push(oldPod.metadata?.name ?? '');
        else allowedNewNodes.push(nodeName);
      } else if (!shouldRunOn(nodeName)) {
        shouldNotRunPods.push(oldPod.metadata?.name ?? '');
      } else if (surging < maxSurge) {
        candidateNewNodes.push(nodeName);
      }
      continue;
    }
    if (!available(newPod)) {
      surging++;
      continue;
    }
    deletePods.push(oldPod.metadata?.name ?? '');
  }
  // Pods on nodes that no longer qualify go only while enough pods elsewhere are available.
  const deletable = Math.min(Math.max(availableCount - desired, 0), shouldNotRunPods.length);
  deletePods.push(...shouldNotRunPods.slice(0, deletable));
  const room = Math.min(Math.max(maxSurge - surging, 0), candidateNewNodes.length);
  return { deletePods, createOnNodes: [...allowedNewNodes, ...candidateNewNodes.slice(0, room)] };
}
