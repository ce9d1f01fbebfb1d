// Per-pod stats from the runtime and the disk: each running container's memory working set and
// processes (its cgroup, found through its init PID), and — only when disk is what runs short,
// since walking directories costs — its writable layer, its log and the pod's emptyDir volumes.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Runtime } from '../../runtime/runtime.js';
import { labels } from '../context.js';
import { diskUsageMaxEntries } from '../limits.js';
import { processCgroup } from '../server/stats/collect.js';
import type { ContainerStats, PodStats } from './pod-stats.js';

export interface DiskUsage {
  bytes: number;
  inodes: number;
}

/** `du` of a tree: allocated blocks and entries, at most diskUsageMaxEntries of them. */
export async function diskUsage(path: string, maxEntries = diskUsageMaxEntries): Promise<DiskUsage> {
  const usage = { bytes: 0, inodes: 0 };
  const pending = [path];
  while (pending.length > 0 && usage.inodes < maxEntries) {
    const current = pending.pop()!;
    const info = await lstat(current).catch(() => undefined);
    if (!info) continue;
    usage.bytes += info.blocks * 512;
    usage.inodes++;
    if (!info.isDirectory()) continue;
    const names = await readdir(current).catch(() => [] as string[]);
    for (const name of names) pending.push(join(current, name));
  }
  return usage;
}

export interface CollectOptions {
  runtime: Runtime;
  dataDir: string;
  /** Measure disk too (writable layers, logs, emptyDirs). */
  disk: boolean;
}

/** The runtime's own layout: <data-dir>/runtime/containers/<id>/upper is a container's overlayfs upper dir. */
function upperDir(dataDir: string, containerId: string): string {
  return join(dataDir, 'runtime', 'containers', containerId, 'upper');
}

export async function collectPodStats(pods: readonly Pod[], options: CollectOptions): Promise<Map<string, PodStats>> {
  const wanted = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
  const byPod = new Map<string, Map<string, ContainerStats>>();
  const processes = new Map<string, number>();
  const sandboxUid = new Map(options.runtime.listPodSandbox().map((s) => [s.id, s.labels[labels.podUid] ?? '']));
  const containers = (await options.runtime.listContainers()).sort((a, b) => b.metadata.attempt - a.metadata.attempt);
  for (const container of containers) {
    const uid = container.labels[labels.podUid] ?? sandboxUid.get(container.podSandboxId) ?? '';
    const name = container.labels[labels.containerName] ?? container.metadata.name;
    if (!wanted.has(uid)) continue;
    const stats = byPod.get(uid) ?? new Map<string, ContainerStats>();
    byPod.set(uid, stats);
    // The newest instance speaks for the container; older ones only add their disk use.
    const entry = stats.get(name) ?? { name };
    const newest = !stats.has(name);
    stats.set(name, entry);
    if (newest && container.state === 'CONTAINER_RUNNING' && container.pid) {
      const path = await processCgroup(container.pid);
      const cgroup = path ? await options.runtime.cgroups.stats(path).catch(() => undefined) : undefined;
      if (cgroup) {
        entry.memoryWorkingSetBytes = cgroup.memoryWorkingSetBytes;
        processes.set(uid, (processes.get(uid) ?? 0) + cgroup.pids);
      }
    }
    if (options.disk) {
      const rootfs = await diskUsage(upperDir(options.dataDir, container.id));
      const log = await lstat(container.logPath).catch(() => undefined);
      entry.rootfsBytes = (entry.rootfsBytes ?? 0) + rootfs.bytes;
      entry.rootfsInodes = (entry.rootfsInodes ?? 0) + rootfs.inodes;
      entry.logsBytes = (entry.logsBytes ?? 0) + (log ? log.blocks * 512 : 0);
      entry.logsInodes = (entry.logsInodes ?? 0) + (log ? 1 : 0);
    }
  }
  const result = new Map<string, PodStats>();
  for (const [uid, stats] of byPod) {
    const pod = wanted.get(uid)!;
    const volume = { bytes: 0, inodes: 0 };
    if (options.disk) {
      for (const v of pod.spec?.volumes ?? []) {
        if (!v.emptyDir || v.emptyDir.medium === 'Memory') continue;
        const usage = await diskUsage(join(options.dataDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', v.name));
        volume.bytes += usage.bytes;
        volume.inodes += usage.inodes;
      }
    }
    // In the spec's order, as upstream's summary lists them (and so the eviction message).
    const order = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    const list = [...stats.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    result.set(uid, { containers: list, volumeBytes: volume.bytes, volumeInodes: volume.inodes, processes: processes.get(uid) ?? 0 });
  }
  return result;
}
