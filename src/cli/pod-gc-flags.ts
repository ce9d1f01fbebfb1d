// kube-controller-manager's --terminated-pod-gc-threshold, as `k8ts server` and
// `k8ts controller-manager` take it.
import { UsageError, type FlagSpec } from './flags.js';

export const terminatedPodGcThresholdFlag: FlagSpec = {
  name: 'terminated-pod-gc-threshold',
  description: 'Terminated pods that may exist before the pod garbage collector deletes the oldest (0 turns it off)',
  defaultText: '12500',
};

export function terminatedPodGcThresholdValue(values: Map<string, string | boolean>): number | undefined {
  const text = values.get(terminatedPodGcThresholdFlag.name);
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`invalid argument "${text}" for "--terminated-pod-gc-threshold" flag: strconv.ParseInt: parsing "${text}": invalid syntax`);
  return value;
}
