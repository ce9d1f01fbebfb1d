// What the eviction manager knows of each pod's use (upstream reads it from the summary API):
// memory working set per container, and the disk its containers' writable layers, logs and
// local volumes take. Pods without stats rank first, as upstream.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity, Quantity } from '../../api/units/quantity.js';
import { isSidecar } from '../pods/status.js';

export interface ContainerStats {
  name: string;
  memoryWorkingSetBytes?: number;
  rootfsBytes?: number;
  rootfsInodes?: number;
  logsBytes?: number;
  logsInodes?: number;
}

export interface PodStats {
  containers: ContainerStats[];
  /** Local ephemeral volumes (emptyDir on disk). */
  volumeBytes: number;
  volumeInodes: number;
  processes: number;
}

export type StatsFunc = (pod: Pod) => PodStats | undefined;

export type RequestedResource = 'memory' | 'ephemeral-storage';

function containerRequest(container: Container, resource: RequestedResource): Quantity {
  const text = container.resources?.requests?.[resource];
  if (text === undefined) return Quantity.fromInt(0, 'BinarySI');
  try {
    return parseQuantity(text as string);
  } catch {
    return Quantity.fromInt(0, 'BinarySI');
  }
}

export function containerRequestOf(pod: Pod, name: string, resource: RequestedResource): Quantity {
  const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
  return container ? containerRequest(container, resource) : Quantity.fromInt(0, 'BinarySI');
}

/**
 * GetResourceRequestQuantity: the containers' and sidecars' requests summed, or the largest init
 * container's (with the sidecars started before it) when that is more, plus the pod overhead.
 */
export function podRequestBytes(pod: Pod, resource: RequestedResource): number {
  const bytes = (c: Container): number => Number(containerRequest(c, resource).value());
  let sidecars = 0;
  let initMax = 0;
  for (const container of pod.spec?.initContainers ?? []) {
    if (isSidecar(container)) sidecars += bytes(container);
    else initMax = Math.max(initMax, sidecars + bytes(container));
  }
  const running = (pod.spec?.containers ?? []).reduce((sum, c) => sum + bytes(c), 0) + sidecars;
  const overheadText = pod.spec?.overhead?.[resource];
  const overhead = overheadText === undefined ? 0 : Number(parseQuantity(overheadText as string).value());
  return Math.max(running, initMax) + overhead;
}

export function podMemoryBytes(stats: PodStats): number {
  return stats.containers.reduce((sum, c) => sum + (c.memoryWorkingSetBytes ?? 0), 0);
}

/** Disk or inodes a pod uses: its containers' writable layers and logs, and its local volumes. */
export function podDiskUsage(stats: PodStats, unit: 'bytes' | 'inodes'): number {
  let total = unit === 'bytes' ? stats.volumeBytes : stats.volumeInodes;
  for (const c of stats.containers) total += unit === 'bytes' ? (c.rootfsBytes ?? 0) + (c.logsBytes ?? 0) : (c.rootfsInodes ?? 0) + (c.logsInodes ?? 0);
  return total;
}
