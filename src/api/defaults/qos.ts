// Pod QoS class, as upstream's qos.GetPodQOS computes it for status.qosClass.
import { isJsonObject } from '../object.js';
import { childObject, objectItems, type JsonObject } from './fields.js';
import { quantityToNano } from './quantity.js';

export type PodQOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Only CPU and memory decide the QoS class. */
const QOS_RESOURCES = ['cpu', 'memory'];

function addPositive(totals: Map<string, bigint>, list: unknown): Set<string> {
  const found = new Set<string>();
  if (!isJsonObject(list)) return found;
  for (const name of QOS_RESOURCES) {
    const amount = quantityToNano(list[name]);
    if (amount === undefined || amount <= 0n) continue;
    found.add(name);
    totals.set(name, (totals.get(name) ?? 0n) + amount);
  }
  return found;
}

/**
 * BestEffort: no container requests or limits CPU or memory. Guaranteed: every container
 * limits both, and the summed requests equal the summed limits. Anything else is Burstable.
 * Expects a defaulted pod, where requests were already copied from limits.
 */
export function computePodQOSClass(pod: unknown): PodQOSClass {
  const spec = isJsonObject(pod) ? childObject(pod, 'spec') : undefined;
  const containers: JsonObject[] = [...objectItems(spec, 'initContainers'), ...objectItems(spec, 'containers')];
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const container of containers) {
    const resources = childObject(container, 'resources') ?? {};
    addPositive(requests, resources['requests']);
    const limited = addPositive(limits, resources['limits']);
    if (!QOS_RESOURCES.every((name) => limited.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      if (limits.get(name) !== request) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
