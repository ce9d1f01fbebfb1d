// Upstream's tryUpdateNodeHealth: when did we last hear from a node? A heartbeat is a new
// lastHeartbeatTime on its Ready condition or a renewed Lease in kube-node-lease. Past the grace
// period without one, every condition the kubelet owns becomes Unknown.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { rfc3339 } from '../common/clock.js';
import { nodeCondition } from './taints.js';

/** What the controller remembers of a node between passes (upstream's nodeHealthData). */
export interface NodeHealth {
  readyCondition?: NodeCondition;
  probeMs: number;
  readyTransitionMs: number;
  leaseRenewMs?: number;
}

export interface HealthTiming {
  nowMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
}

export interface HealthResult {
  health: NodeHealth;
  /** The Ready condition as the node reported it (a made-up Unknown one if it never did). */
  observedReady: NodeCondition;
  /** The Ready condition after this pass (undefined if the node never posted one and is still in its startup grace). */
  currentReady: NodeCondition | undefined;
  /** The node with conditions set to Unknown, when its status must be written. */
  statusUpdate?: Node;
}

/** The conditions the controller marks Unknown when the kubelet goes silent. */
export const monitoredConditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export function assessNodeHealth(node: Node, lease: KubeObject | undefined, saved: NodeHealth | undefined, timing: HealthTiming): HealthResult {
  const { nowMs } = timing;
  const createdMs = Date.parse(node.metadata?.creationTimestamp ?? '') || nowMs;
  const currentReady = nodeCondition(node, 'Ready');
  let observedReady: NodeCondition;
  let gracePeriodMs: number;
  let health: NodeHealth | undefined = saved && { ...saved };
  if (!currentReady) {
    const created = node.metadata?.creationTimestamp ?? rfc3339(createdMs);
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
    gracePeriodMs = timing.nodeStartupGracePeriodMs;
    health = health ? { ...health, readyCondition: undefined } : { probeMs: createdMs, readyTransitionMs: createdMs };
  } else {
    observedReady = currentReady;
    gracePeriodMs = timing.nodeMonitorGracePeriodMs;
  }
  const savedReady = saved?.readyCondition;
  if (!health) {
    // Seen for the first time (or after a restart): the grace period starts now.
    health = { readyCondition: currentReady, probeMs: nowMs, readyTransitionMs: nowMs };
  } else if (!savedReady && currentReady) {
    health = { readyCondition: currentReady, probeMs: nowMs, readyTransitionMs: nowMs, leaseRenewMs: health.leaseRenewMs };
  } else if (savedReady && currentReady && savedReady.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
    const transitionMs = savedReady.lastTransitionTime !== currentReady.lastTransitionTime ? nowMs : health.readyTransitionMs;
    health = { readyCondition: currentReady, probeMs: nowMs, readyTransitionMs: transitionMs, leaseRenewMs: health.leaseRenewMs };
  }
  // A renewed Lease is a heartbeat too, even from a kubelet that never posted status.
  const renewText = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
  const renewMs = renewText ? Date.parse(renewText) : NaN;
  if (!Number.isNaN(renewMs) && (health.leaseRenewMs === undefined || health.leaseRenewMs < renewMs)) {
    health = { ...health, leaseRenewMs: renewMs, probeMs: nowMs };
  }

  if (nowMs <= health.probeMs + gracePeriodMs) return { health, observedReady, currentReady };
  const updated = structuredClone(node) as Node & { status: { conditions: NodeCondition[] } };
  updated.status = { ...(updated.status ?? {}), conditions: [...(updated.status?.conditions ?? [])] } as typeof updated.status;
  const now = rfc3339(nowMs);
  for (const type of monitoredConditionTypes) {
    const index = updated.status.conditions.findIndex((condition) => condition.type === type);
    const condition = updated.status.conditions[index];
    if (!condition) {
      updated.status.conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: now });
    } else if (condition.status !== 'Unknown') {
      updated.status.conditions[index] = { ...condition, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now };
    }
  }
  const newReady = nodeCondition(updated, 'Ready')!;
  if (JSON.stringify(newReady) === JSON.stringify(observedReady)) return { health, observedReady, currentReady: newReady };
  return {
    health: { ...health, readyCondition: newReady, readyTransitionMs: nowMs },
    observedReady,
    currentReady: newReady,
    statusUpdate: updated,
  };
}
