// The status the scheduler writes on pods (PodScheduled, DisruptionTarget) and what of a Node
// counts as a scheduling-relevant change.
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';

export interface Failure {
  reason: 'Unschedulable' | 'SchedulerError';
  message: string;
  unschedulablePlugins: ReadonlySet<string>;
  /** Set when preemption nominated a node for the pod. */
  nominatedNodeName?: string;
}

/** metav1.Time: RFC 3339 to the second. */
const apiTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The PodScheduled=False condition to write, or undefined when the pod already carries the same
 * one (upstream's UpdatePodCondition: lastTransitionTime moves only when the status changes).
 */
export function podScheduledCondition(pod: Pod, failure: Pick<Failure, 'reason' | 'message'>, now: Date): PodCondition | undefined {
  const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (existing?.status === 'False' && existing.reason === failure.reason && existing.message === failure.message) return undefined;
  const nowText = apiTime(now);
  return {
    type: 'PodScheduled',
    status: 'False',
    reason: failure.reason,
    message: failure.message,
    lastProbeTime: null as unknown as string,
    lastTransitionTime: existing?.status === 'False' ? existing.lastTransitionTime : nowText,
  };
}

/** What of a Node the plugins read; a change here may make a parked pod fit. */
export function nodeSchedulingProperties(node: Node): string {
  return JSON.stringify([
    node.spec?.unschedulable ?? false,
    node.spec?.taints ?? [],
    node.metadata?.labels ?? {},
    node.metadata?.annotations ?? {},
    node.status?.allocatable ?? {},
    (node.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`),
  ]);
}

/** Upstream's DisruptionTarget condition on a preemption victim, set before it is deleted. */
export function preemptionCondition(schedulerName: string, now: Date): PodCondition {
  return {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'PreemptionByScheduler',
    message: `${schedulerName}: preempting to accommodate a higher priority pod`,
    lastTransitionTime: apiTime(now),
  };
}
