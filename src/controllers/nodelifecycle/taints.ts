// The taints the node lifecycle controller owns and how it writes them (upstream's
// controller_utils SwapNodeControllerTaint / AddOrUpdateTaintOnNode / RemoveTaintOffNode).
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import { isConflict, type ResourceClient } from '../../client/index.js';
import { rfc3339, type Clock } from '../common/clock.js';

export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';

export const unreachableNoExecute: Taint = { key: unreachableTaintKey, effect: 'NoExecute' };
export const notReadyNoExecute: Taint = { key: notReadyTaintKey, effect: 'NoExecute' };

/** Upstream's nodeConditionToTaintKeyStatusMap: which condition status means which NoSchedule taint. */
const conditionTaints: Record<string, Record<string, string>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const conditionTaintKeys = new Set(Object.values(conditionTaints).flatMap((byStatus) => Object.values(byStatus)));

/** Tries of a taint write that keeps hitting conflicts (upstream's UpdateTaintBackoff steps). */
export const taintUpdateRetries = 5;

export function nodeCondition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((condition) => condition.type === type);
}

export function hasTaint(node: Node, template: Taint): boolean {
  return (node.spec?.taints ?? []).some((taint) => taint.key === template.key && taint.effect === template.effect);
}

/** The NoSchedule taints the node's conditions and spec.unschedulable call for, and the ones to drop. */
export function noScheduleTaintChanges(node: Node): { add: Taint[]; remove: Taint[] } {
  const wanted: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = conditionTaints[condition.type]?.[condition.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  const owned = (node.spec?.taints ?? []).filter((taint) => taint.effect === 'NoSchedule' && (taint.key === unschedulableTaintKey || conditionTaintKeys.has(taint.key)));
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  return {
    add: wanted.filter((taint) => !owned.some((have) => same(have, taint))),
    remove: owned.filter((taint) => !wanted.some((want) => same(want, taint))),
  };
}

/**
 * Adds `add` (stamped with timeAdded now) and removes `remove` in one write, re-reading the node
 * on conflict (NotFound when the node is gone).
 */
export async function swapNodeTaints(nodes: Pick<ResourceClient, 'get' | 'update'>, clock: Clock, nodeName: string, add: readonly Taint[], remove: readonly Taint[]): Promise<boolean> {
  if (add.length === 0 && remove.length === 0) return true;
  const matches = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  for (let attempt = 1; ; attempt++) {
    const node = (await nodes.get(undefined, nodeName)) as Node;
    const current = node.spec?.taints ?? [];
    let taints = current.filter((taint) => !remove.some((gone) => matches(gone, taint)));
    const fresh = add.filter((taint) => !taints.some((have) => matches(have, taint) && (have.value ?? '') === (taint.value ?? '')));
    taints = [...taints.filter((have) => !fresh.some((taint) => matches(have, taint))), ...fresh.map((taint) => ({ ...taint, timeAdded: rfc3339(clock.now()) }))];
    if (taints.length === current.length && fresh.length === 0) return true;
    const updated = structuredClone(node) as { spec?: { taints?: Taint[] } };
    updated.spec = { ...(updated.spec ?? {}), taints };
    if (taints.length === 0) delete updated.spec.taints;
    try {
      await nodes.update(undefined, updated as Node as never);
      return true;
    } catch (error) {
      if (!isConflict(error) || attempt >= taintUpdateRetries) throw error;
    }
  }
}
