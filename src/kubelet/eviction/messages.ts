// What an eviction or a rejection says, word for word as upstream's (eviction/helpers.go).
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/units/quantity.js';
import { containerRequestOf, type StatsFunc } from './pod-stats.js';
import { signalToResource, type Observations, type PressureCondition, type ReclaimedResource } from './signals.js';
import { thresholdQuantity, type Threshold } from './thresholds.js';

/** The pod status reason and event reason of an eviction. */
export const evictedReason = 'Evicted';

/** "[MemoryPressure DiskPressure]", as Go prints a slice. */
export function nodeConditionMessage(conditions: readonly PressureCondition[]): string {
  return `The node had condition: [${conditions.join(' ')}]. `;
}

/**
 * "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container c
 * was using 10Mi, request is 0, has larger consumption of memory. " — a sentence for each
 * container using more than it requested.
 */
export function evictionMessage(resource: ReclaimedResource, pod: Pod, stats: StatsFunc, met: readonly Threshold[], observations: Observations): string {
  let message = `The node was low on resource: ${resource}. `;
  const threshold = met.find((t) => signalToResource[t.signal] === resource && observations[t.signal]);
  const observed = threshold && observations[threshold.signal];
  if (threshold && observed) message += `Threshold quantity: ${thresholdQuantity(threshold, observed.capacity).toString()}, available: ${Quantity.fromInt(Math.trunc(observed.available), 'BinarySI').toString()}. `;
  const podStats = stats(pod);
  if (!podStats) return message;
  const specNames = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  for (const container of podStats.containers) {
    if (!specNames.includes(container.name)) continue;
    let usageBytes: number | undefined;
    if (resource === 'memory') usageBytes = container.memoryWorkingSetBytes;
    else if (resource === 'ephemeral-storage' && container.rootfsBytes !== undefined && container.logsBytes !== undefined) usageBytes = container.rootfsBytes + container.logsBytes;
    if (usageBytes === undefined || (resource !== 'memory' && resource !== 'ephemeral-storage')) continue;
    const usage = Quantity.fromInt(Math.trunc(usageBytes), 'BinarySI');
    const request = containerRequestOf(pod, container.name, resource);
    if (usage.cmp(request) > 0) message += `Container ${container.name} was using ${usage.toString()}, request is ${request.toString()}, has larger consumption of ${resource}. `;
  }
  return message;
}
