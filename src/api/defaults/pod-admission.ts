// The parts of upstream's default-on pod admission plugins that only fill fields in
// (Priority, DefaultTolerationSeconds). They run on pod creation, after defaulting.
import { ensureObject, isNil, type JsonObject } from './fields.js';

export interface PriorityClassInfo {
  value: number;
  preemptionPolicy?: string;
}

/** The two classes every cluster has, which need no lookup. */
const BUILT_IN_PRIORITY_CLASSES: Record<string, PriorityClassInfo> = {
  'system-node-critical': { value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' },
  'system-cluster-critical': { value: 2000000000, preemptionPolicy: 'PreemptLowerPriority' },
};

/**
 * Priority admission: a pod without priorityClassName gets priority 0 (no global default
 * class known here) and PreemptLowerPriority; a named class supplies its value. A class
 * that cannot be resolved is left for the caller (upstream rejects the pod).
 * resolve lets the API server look up user-defined PriorityClasses.
 */
export function applyPodPriority(
  pod: JsonObject,
  resolve?: (className: string) => PriorityClassInfo | undefined,
): void {
  const spec = ensureObject(pod, 'spec');
  const className = typeof spec['priorityClassName'] === 'string' ? spec['priorityClassName'] : '';
  const info: PriorityClassInfo | undefined =
    className === ''
      ? { value: 0, preemptionPolicy: 'PreemptLowerPriority' }
      : (BUILT_IN_PRIORITY_CLASSES[className] ?? resolve?.(className));
  if (!info) return;
  if (isNil(spec['priority'])) spec['priority'] = info.value;
  if (isNil(spec['preemptionPolicy']) && info.preemptionPolicy !== undefined) {
    spec['preemptionPolicy'] = info.preemptionPolicy;
  }
}

