// The node's eviction signals, read from the host as upstream's summary provider reads them:
// memory.available is MemTotal minus the root cgroup's working set (usage minus inactive file
// cache, which the kernel can drop); the filesystems' from statfs on the data dir (nodefs) and
// the image store (imagefs); pid.available from pid_max and the tasks the kernel runs.
import { readFile } from 'node:fs/promises';
import { statfs } from 'node:fs/promises';
import type { Observation, Observations } from './signals.js';

export interface HostPaths {
  /** The kubelet's data dir: pods, logs, container layers (nodefs). */
  dataDir: string;
  /** The runtime's image store (imagefs; the same filesystem here unless mounted apart). */
  imageDir: string;
  /** The memory cgroup hierarchy's root (v1) or the unified root (v2). */
  memoryCgroupRoot: string;
  cgroupVersion: 1 | 2;
  proc: string;
}

export const defaultHostPaths = (dataDir: string, imageDir: string): HostPaths => ({
  dataDir,
  imageDir,
  memoryCgroupRoot: '/sys/fs/cgroup/memory',
  cgroupVersion: 1,
  proc: '/proc',
});

/** "Key:  1234 kB" lines, in bytes. */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (match) values.set(match[1]!, Number(match[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return values;
}

/** memory.stat: "key value" lines. */
export function parseKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values.set(key, Number(value));
  }
  return values;
}

/** Upstream's memory.available: capacity minus working set, where working set = usage − inactive_file. */
export function memoryObservation(memTotalBytes: number, usageBytes: number, inactiveFileBytes: number): Observation {
  const workingSet = Math.max(0, usageBytes - inactiveFileBytes);
  return { available: Math.max(0, memTotalBytes - workingSet), capacity: memTotalBytes };
}

/** /proc/loadavg's fourth field is "running/total" kernel tasks (threads), as sysinfo's procs. */
export function parseTaskCount(loadavg: string): number | undefined {
  const match = /\s\d+\/(\d+)\s/.exec(` ${loadavg} `);
  return match ? Number(match[1]) : undefined;
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

async function memory(paths: HostPaths): Promise<Observation | undefined> {
  const meminfo = parseMeminfo((await readText(`${paths.proc}/meminfo`)) ?? '');
  const total = meminfo.get('MemTotal');
  if (total === undefined) return undefined;
  const v1 = paths.cgroupVersion === 1;
  const usage = await readText(`${paths.memoryCgroupRoot}/${v1 ? 'memory.usage_in_bytes' : 'memory.current'}`);
  const stat = parseKeyed((await readText(`${paths.memoryCgroupRoot}/memory.stat`)) ?? '');
  const inactive = stat.get(v1 ? 'total_inactive_file' : 'inactive_file');
  // A v2 root has no memory.current: fall back to what the kernel reckons is available.
  if (usage === undefined || !/^\d+/.test(usage.trim()) || inactive === undefined) return { available: meminfo.get('MemAvailable') ?? 0, capacity: total };
  return memoryObservation(total, Number(usage.trim()), inactive);
}

async function filesystem(path: string): Promise<{ bytes: Observation; inodes: Observation } | undefined> {
  try {
    const fs = await statfs(path);
    return { bytes: { available: fs.bavail * fs.bsize, capacity: fs.blocks * fs.bsize }, inodes: { available: fs.ffree, capacity: fs.files } };
  } catch {
    return undefined;
  }
}

async function pids(paths: HostPaths): Promise<Observation | undefined> {
  const pidMax = Number((await readText(`${paths.proc}/sys/kernel/pid_max`))?.trim());
  const threadsMax = Number((await readText(`${paths.proc}/sys/kernel/threads-max`))?.trim());
  const tasks = parseTaskCount((await readText(`${paths.proc}/loadavg`)) ?? '');
  if (!Number.isFinite(pidMax) || pidMax <= 0 || tasks === undefined) return undefined;
  const max = Number.isFinite(threadsMax) && threadsMax > 0 ? Math.min(pidMax, threadsMax) : pidMax;
  return { available: max - tasks, capacity: max };
}

export async function observeHost(paths: HostPaths): Promise<Observations> {
  const [mem, nodefs, imagefs, pid] = await Promise.all([memory(paths), filesystem(paths.dataDir), filesystem(paths.imageDir), pids(paths)]);
  const observations: Observations = {};
  if (mem) observations['memory.available'] = mem;
  if (nodefs) {
    observations['nodefs.available'] = nodefs.bytes;
    observations['nodefs.inodesFree'] = nodefs.inodes;
  }
  if (imagefs) {
    observations['imagefs.available'] = imagefs.bytes;
    observations['imagefs.inodesFree'] = imagefs.inodes;
  }
  if (pid) observations['pid.available'] = pid;
  return observations;
}
