// Resource usage of the node and its running containers, read from /proc and the containers'
// cgroups (found through each container's init PID, so no runtime internals are needed).
import { readFile } from 'node:fs/promises';
import type { Runtime } from '../../../runtime/runtime.js';
import { podLabels } from '../runtime-locator.js';

export interface Usage {
  cpuUsageNanos: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
}

export interface ContainerUsage extends Usage {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  startedAtMs: number;
}

export interface NodeUsage extends Usage {
  memoryAvailableBytes: number;
}

/** USER_HZ: /proc/stat counts CPU time in 1/100 s on every Linux we run on. */
const clockTicksPerSecond = 100;

export async function nodeUsage(): Promise<NodeUsage> {
  const stat = await readFile('/proc/stat', 'utf8');
  const fields = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy time leaves out idle and iowait.
  const busyTicks = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (fields[i] ?? 0), 0);
  const meminfo = new Map<string, number>();
  for (const line of (await readFile('/proc/meminfo', 'utf8')).split('\n')) {
    const match = /^(\w+):\s+(\d+) kB/.exec(line);
    if (match) meminfo.set(match[1]!, Number(match[2]) * 1024);
  }
  const total = meminfo.get('MemTotal') ?? 0;
  const available = meminfo.get('MemAvailable') ?? 0;
  return {
    cpuUsageNanos: Math.round((busyTicks / clockTicksPerSecond) * 1e9),
    memoryUsageBytes: total - (meminfo.get('MemFree') ?? 0),
    memoryWorkingSetBytes: total - available,
    memoryAvailableBytes: available,
  };
}

/** The cgroup path (relative to the hierarchy) of a process, for the memory controller or v2. */
export async function processCgroup(pid: number): Promise<string | undefined> {
  const text = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('memory')) return path;
    if (controllers === '') unified = path;
  }
  return unified;
}

export async function containerUsages(runtime: Runtime): Promise<ContainerUsage[]> {
  const running = await runtime.listContainers({ state: 'CONTAINER_RUNNING' });
  const usages: ContainerUsage[] = [];
  for (const status of running) {
    const namespace = status.labels[podLabels.podNamespace];
    const pod = status.labels[podLabels.podName];
    const container = status.labels[podLabels.containerName];
    if (!namespace || !pod || !container || !status.pid) continue;
    const path = await processCgroup(status.pid);
    if (!path) continue;
    const stats = await runtime.cgroups.stats(path).catch(() => undefined);
    if (!stats) continue;
    usages.push({
      namespace,
      pod,
      podUid: status.labels[podLabels.podUid] ?? '',
      container,
      startedAtMs: Math.floor(status.startedAt / 1e6),
      cpuUsageNanos: stats.cpuUsageNanos,
      memoryUsageBytes: stats.memoryUsageBytes,
      memoryWorkingSetBytes: stats.memoryWorkingSetBytes,
    });
  }
  return usages;
}
