// Container and pod cgroups, on cgroup v1 (each controller its own hierarchy, as on this
// machine) and v2 (one unified hierarchy). k8ts puts a container's limits on a cgroup it owns,
// <parent>/<container>, and gives the OCI runtime <parent>/<container>/main for the processes:
// runc and crun delete their cgroup when the container exits, ours stays until the container is
// removed, so its counters (max usage, OOM kills) can still be read to report OOMKilled.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const cgroupRoot = '/sys/fs/cgroup';
/** The v1 controllers k8ts writes limits to or reads statistics from. */
const v1Controllers = ['cpu', 'cpuacct', 'memory', 'pids'] as const;
/** The leaf the OCI runtime owns under the container's cgroup. */
export const runtimeLeaf = 'main';

export interface CgroupLimits {
  /** cgroup v1 cpu.shares (2–262144), from the CPU request. */
  cpuShares?: number;
  /** CFS quota and period in microseconds, from the CPU limit. */
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
}

export interface CgroupStats {
  memoryUsageBytes: number;
  /** Usage minus inactive file cache: what the kubelet reports as the working set. */
  memoryWorkingSetBytes: number;
  cpuUsageNanos: number;
  pids: number;
}

export type CgroupVersion = 1 | 2;

export function detectCgroupVersion(root = cgroupRoot): CgroupVersion {
  return existsSync(join(root, 'cgroup.controllers')) ? 2 : 1;
}

/** Upstream's (runc's) conversion of cpu.shares to cgroup v2 cpu.weight. */
export function sharesToWeight(shares: number): number {
  return Math.floor(1 + ((shares - 2) * 9999) / 262142);
}

async function readNumber(path: string): Promise<number | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === 'max' ? Infinity : Number(text.split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

async function readKeyed(path: string): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  try {
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      const [key, value] = line.split(/\s+/);
      if (key && value !== undefined) values.set(key, Number(value));
    }
  } catch {
    // A missing file reads as no values.
  }
  return values;
}

export class Cgroups {
  readonly version: CgroupVersion;

  constructor(private readonly root = cgroupRoot) {
    this.version = detectCgroupVersion(root);
  }

  /** Creates the cgroup (and its parents) with these limits; `path` is like "/k8ts/pod-x/ctr". */
  async create(path: string, limits: CgroupLimits): Promise<void> {
    if (this.version === 2) {
      await this.enableV2Controllers(path);
      await mkdir(join(this.root, path), { recursive: true });
    } else {
      for (const controller of v1Controllers) await mkdir(join(this.root, controller, path), { recursive: true });
    }
    await this.update(path, limits);
  }

  async update(path: string, limits: CgroupLimits): Promise<void> {
    if (this.version === 2) {
      const dir = join(this.root, path);
      if (limits.cpuShares !== undefined) await writeFile(join(dir, 'cpu.weight'), String(sharesToWeight(limits.cpuShares)));
      if (limits.cpuQuotaUs !== undefined) await writeFile(join(dir, 'cpu.max'), `${limits.cpuQuotaUs > 0 ? limits.cpuQuotaUs : 'max'} ${limits.cpuPeriodUs ?? 100000}`);
      if (limits.memoryLimitBytes !== undefined) {
        await writeFile(join(dir, 'memory.max'), limits.memoryLimitBytes > 0 ? String(limits.memoryLimitBytes) : 'max');
        if (existsSync(join(dir, 'memory.swap.max'))) await writeFile(join(dir, 'memory.swap.max'), '0');
      }
      if (limits.pidsLimit !== undefined) await writeFile(join(dir, 'pids.max'), limits.pidsLimit > 0 ? String(limits.pidsLimit) : 'max');
      return;
    }
    const cpu = join(this.root, 'cpu', path);
    if (limits.cpuShares !== undefined) await writeFile(join(cpu, 'cpu.shares'), String(limits.cpuShares));
    if (limits.cpuPeriodUs !== undefined) await writeFile(join(cpu, 'cpu.cfs_period_us'), String(limits.cpuPeriodUs));
    if (limits.cpuQuotaUs !== undefined) await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(limits.cpuQuotaUs > 0 ? limits.cpuQuotaUs : -1));
    const memory = join(this.root, 'memory', path);
    if (limits.memoryLimitBytes !== undefined) {
      const value = limits.memoryLimitBytes > 0 ? String(limits.memoryLimitBytes) : '-1';
      // memsw must stay >= the memory limit: raise it first when growing, after when shrinking.
      const memsw = join(memory, 'memory.memsw.limit_in_bytes');
      if (existsSync(memsw)) {
        await writeFile(memsw, '-1').catch(() => undefined);
        await writeFile(join(memory, 'memory.limit_in_bytes'), value);
        await writeFile(memsw, value);
      } else {
        await writeFile(join(memory, 'memory.limit_in_bytes'), value);
      }
    }
    if (limits.pidsLimit !== undefined) await writeFile(join(this.root, 'pids', path, 'pids.max'), limits.pidsLimit > 0 ? String(limits.pidsLimit) : 'max');
  }

  async stats(path: string): Promise<CgroupStats> {
    if (this.version === 2) {
      const dir = join(this.root, path);
      const memoryStat = await readKeyed(join(dir, 'memory.stat'));
      const usage = (await readNumber(join(dir, 'memory.current'))) ?? 0;
      const cpuStat = await readKeyed(join(dir, 'cpu.stat'));
      return {
        memoryUsageBytes: usage,
        memoryWorkingSetBytes: Math.max(0, usage - (memoryStat.get('inactive_file') ?? 0)),
        cpuUsageNanos: (cpuStat.get('usage_usec') ?? 0) * 1000,
        pids: (await readNumber(join(dir, 'pids.current'))) ?? 0,
      };
    }
    const memory = join(this.root, 'memory', path);
    const usage = (await readNumber(join(memory, 'memory.usage_in_bytes'))) ?? 0;
    const memoryStat = await readKeyed(join(memory, 'memory.stat'));
    return {
      memoryUsageBytes: usage,
      memoryWorkingSetBytes: Math.max(0, usage - (memoryStat.get('total_inactive_file') ?? 0)),
      cpuUsageNanos: (await readNumber(join(this.root, 'cpuacct', path, 'cpuacct.usage'))) ?? 0,
      pids: (await readNumber(join(this.root, 'pids', path, 'pids.current'))) ?? 0,
    };
  }

  /**
   * Whether the kernel's OOM killer struck in this cgroup. v2 counts kills (memory.events
   * oom_kill, hierarchical). v1 counts them only in the leaf the OCI runtime already deleted, so
   * for a container that died of SIGKILL, reaching the memory limit is taken as the cause.
   */
  async oomKilled(path: string, diedOfSigkill: boolean): Promise<boolean> {
    if (this.version === 2) return ((await readKeyed(join(this.root, path, 'memory.events'))).get('oom_kill') ?? 0) > 0;
    if (!diedOfSigkill) return false;
    const memory = join(this.root, 'memory', path);
    const limit = await readNumber(join(memory, 'memory.limit_in_bytes'));
    const maxUsage = await readNumber(join(memory, 'memory.max_usage_in_bytes'));
    // Usage is charged in pages, so a cgroup at its limit shows max usage within a page of it.
    return limit !== undefined && maxUsage !== undefined && limit !== Infinity && maxUsage + 4096 >= limit;
  }

  /** Removes the cgroup in every hierarchy (the runtime may have made it in all of them), leaf first. */
  async remove(path: string): Promise<void> {
    const bases = this.version === 2 ? [this.root] : readdirSync(this.root).map((name) => join(this.root, name)).filter((dir) => existsSync(join(dir, 'cgroup.procs')));
    for (const base of bases) {
      for (const dir of [join(base, path, runtimeLeaf), join(base, path)]) {
        await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
    }
  }

  private async enableV2Controllers(path: string): Promise<void> {
    const parts = path.split('/').filter(Boolean);
    let dir = this.root;
    for (const part of parts) {
      const wanted = ['cpu', 'memory', 'pids'];
      const available = (await readFile(join(dir, 'cgroup.controllers'), 'utf8').catch(() => '')).split(/\s+/);
      const enable = wanted.filter((c) => available.includes(c)).map((c) => `+${c}`).join(' ');
      if (enable) await writeFile(join(dir, 'cgroup.subtree_control'), enable).catch(() => undefined);
      dir = join(dir, part);
      await mkdir(dir, { recursive: true });
    }
  }
}
