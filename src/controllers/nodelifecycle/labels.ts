// Upstream's reconcileNodeLabels: the deprecated beta.kubernetes.io/os and /arch labels follow the
// kubernetes.io ones the kubelet sets, for workloads that still select on the old names.
import type { Node } from 'kubernetes-types/core/v1.js';

const labelPairs = [
  { primary: 'kubernetes.io/os', secondary: 'beta.kubernetes.io/os' },
  { primary: 'kubernetes.io/arch', secondary: 'beta.kubernetes.io/arch' },
] as const;

/** The secondary labels to set; empty when they already match (or the primary is absent). */
export function labelsToReconcile(node: Node): Record<string, string> {
  const labels = node.metadata?.labels ?? {};
  const update: Record<string, string> = {};
  for (const { primary, secondary } of labelPairs) {
    const value = labels[primary];
    if (value !== undefined && labels[secondary] !== value) update[secondary] = value;
  }
  return update;
}
