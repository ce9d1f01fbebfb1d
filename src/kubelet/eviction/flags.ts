// The kubelet's eviction flags, as `k8ts agent` and `k8ts server` (its local agent) take them.
import { UsageError, type FlagSpec } from '../../cli/flags.js';
import { parseDurationMs } from '../../storage/compactor.js';
import { evictionPressureTransitionPeriodMs } from '../limits.js';
import type { EvictionConfig } from './manager.js';
import { defaultEvictionHard, parseEvictionHard, ThresholdError } from './thresholds.js';

export const evictionFlags: readonly FlagSpec[] = [
  { name: 'eviction-hard', description: 'A set of eviction thresholds (e.g. memory.available<1Gi) that if met would trigger a pod eviction', defaultText: defaultEvictionHard },
  { name: 'eviction-pressure-transition-period', description: 'Duration for which the kubelet has to wait before transitioning out of an eviction pressure condition', defaultText: '5m0s' },
];

export function evictionFlagValues(values: Map<string, string | boolean>): EvictionConfig {
  const hard = values.get('eviction-hard');
  const period = values.get('eviction-pressure-transition-period');
  let thresholds;
  try {
    thresholds = parseEvictionHard(typeof hard === 'string' ? hard : defaultEvictionHard);
  } catch (error) {
    if (error instanceof ThresholdError) throw new UsageError(`invalid argument "${String(hard)}" for "--eviction-hard" flag: ${error.message}`);
    throw error;
  }
  let pressureTransitionPeriodMs = evictionPressureTransitionPeriodMs;
  if (typeof period === 'string') {
    try {
      pressureTransitionPeriodMs = parseDurationMs(period);
    } catch {
      throw new UsageError(`invalid argument "${period}" for "--eviction-pressure-transition-period" flag: time: invalid duration "${period}"`);
    }
  }
  return { thresholds, pressureTransitionPeriodMs };
}
