// The parts of upstream's default-on pod admission plugins that only fill fields in
// (Priority, DefaultTolerationSeconds). They run on pod creation, after defaulting.
import { ensureObject, isNil, objectItems, type JsonObject } from './fields.js';

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

const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/**
 * DefaultTolerationSeconds: pods tolerate not-ready and unreachable nodes for five minutes
 * before eviction, unless they already carry a toleration covering that NoExecute taint.
 */
export function applyDefaultTolerationSeconds(pod: JsonObject): void {
  const spec = ensureObject(pod, 'spec');
  const tolerations = objectItems(spec, 'tolerations');
  const covers = (taintKey: string): boolean =>
    tolerations.some(
      (t) =>
        (isNil(t['key']) || t['key'] === '' || t['key'] === taintKey) &&
        (isNil(t['effect']) || t['effect'] === '' || t['effect'] === 'NoExecute'),
    );
  const added: JsonObject[] = [];
  for (const taintKey of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (covers(taintKey)) continue;
    added.push({
      key: taintKey,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
    });
  }
  const existing: unknown[] = Array.isArray(spec['tolerations']) ? spec['tolerations'] : [];
  if (added.length > 0) spec['tolerations'] = [...existing, ...added];
}
