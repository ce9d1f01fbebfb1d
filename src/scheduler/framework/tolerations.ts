// Taint/toleration matching, shared by TaintToleration, NodeUnschedulable and PodTopologySpread.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  // An empty key with operator Exists tolerates every taint.
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function taintTolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The first taint with one of `effects` that no toleration covers. */
export function findUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: ReadonlySet<string>,
): Taint | undefined {
  return taints.find((taint) => effects.has(taint.effect) && !taintTolerated(tolerations, taint));
}

export const HARD_TAINT_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'NoExecute']);
