// Which pods the eviction manager lets in and which it never evicts (upstream's Admit and
// kubelettypes.IsCriticalPod).
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { podQosClass } from '../pods/resources.js';
import { evictedReason, nodeConditionMessage } from './messages.js';
import type { PressureCondition } from './signals.js';

/** scheduling.SystemCriticalPriority: system-cluster-critical and system-node-critical are at or above it. */
export const systemCriticalPriority = 2_000_000_000;
export const memoryPressureTaint = 'node.kubernetes.io/memory-pressure';

/** Static and mirror pods, and pods of system-critical priority, are neither evicted nor rejected. */
export function isCriticalPod(pod: Pod): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  const source = annotations['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  if (annotations['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= systemCriticalPriority;
}

/** TolerationsTolerateTaint for {key, effect: NoSchedule}. */
function toleratesNoSchedule(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.effect === undefined || t.effect === '' || t.effect === 'NoSchedule') && (t.operator === 'Exists' ? t.key === undefined || t.key === '' || t.key === key : t.key === key && (t.value ?? '') === ''));
}

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/**
 * Under memory pressure alone only BestEffort pods are turned away (unless they tolerate the
 * memory-pressure taint); any other pressure turns every pod away. Critical pods always get in.
 */
export function admitPod(pod: Pod, conditions: readonly PressureCondition[]): AdmitResult {
  if (conditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (conditions.length === 1 && conditions[0] === 'MemoryPressure') {
    if (podQosClass(pod) !== 'BestEffort') return { admit: true };
    if (toleratesNoSchedule(pod.spec?.tolerations ?? [], memoryPressureTaint)) return { admit: true };
  }
  return { admit: false, reason: evictedReason, message: nodeConditionMessage(conditions) };
}
