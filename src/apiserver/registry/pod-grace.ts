// Pods are the one kind deleted gracefully: a pod bound to a node gets a deletionTimestamp and
// its grace period, and the node's agent removes it once its containers have stopped. A pod
// never scheduled, or deleted with grace 0, goes at once.
import type { KubeObject } from '../../api/object.js';

export function podGracePeriod(pod: KubeObject, requested: number | undefined): number | undefined {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return undefined;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? 30;
  return grace > 0 ? grace : undefined;
}
