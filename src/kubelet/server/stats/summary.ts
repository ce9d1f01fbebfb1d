// /stats/summary in the kubelet's stats/v1alpha1 Summary shape (what metrics-server and
// `kubectl get --raw /api/v1/nodes/<n>/proxy/stats/summary` read): node, then pods with their
// containers' CPU and memory. usageNanoCores is the rate since the previous reading.
import type { ContainerUsage, NodeUsage, Usage } from './collect.js';

/** Earlier CPU readings kept for rates, per node/pod/container key. */
export const rateSamplesMax = 10_000;

export class CpuRates {
  private readonly last = new Map<string, { atNs: bigint; usageNanos: number }>();

  /** Nano-cores used since this key's previous reading; undefined on the first one. */
  rate(key: string, usageNanos: number, now = process.hrtime.bigint()): number | undefined {
    const previous = this.last.get(key);
    if (this.last.size >= rateSamplesMax && !previous) this.last.clear();
    this.last.set(key, { atNs: now, usageNanos });
    if (!previous || now <= previous.atNs) return undefined;
    return Math.max(0, Math.round(((usageNanos - previous.usageNanos) / Number(now - previous.atNs)) * 1e9));
  }
}

function stats(usage: Usage, key: string, time: string, rates: CpuRates) {
  const nanoCores = rates.rate(key, usage.cpuUsageNanos);
  return {
    cpu: { time, usageCoreNanoSeconds: usage.cpuUsageNanos, ...(nanoCores !== undefined ? { usageNanoCores: nanoCores } : {}) },
    memory: { time, usageBytes: usage.memoryUsageBytes, workingSetBytes: usage.memoryWorkingSetBytes },
  };
}

export function buildSummary(nodeName: string, bootTime: Date, node: NodeUsage, containers: readonly ContainerUsage[], rates: CpuRates, now = new Date()) {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const nodeStats = stats(node, 'node', time, rates);
  const pods = new Map<string, ContainerUsage[]>();
  for (const c of containers) pods.set(`${c.namespace}/${c.pod}/${c.podUid}`, [...(pods.get(`${c.namespace}/${c.pod}/${c.podUid}`) ?? []), c]);
  return {
    node: {
      nodeName,
      startTime: bootTime.toISOString().replace(/\.\d+Z$/, 'Z'),
      ...nodeStats,
      memory: { ...nodeStats.memory, availableBytes: node.memoryAvailableBytes },
    },
    pods: [...pods.values()].map((list) => {
      const first = list[0]!;
      const total: Usage = {
        cpuUsageNanos: list.reduce((s, c) => s + c.cpuUsageNanos, 0),
        memoryUsageBytes: list.reduce((s, c) => s + c.memoryUsageBytes, 0),
        memoryWorkingSetBytes: list.reduce((s, c) => s + c.memoryWorkingSetBytes, 0),
      };
      const start = Math.min(...list.map((c) => c.startedAtMs));
      return {
        podRef: { name: first.pod, namespace: first.namespace, uid: first.podUid },
        startTime: new Date(start).toISOString().replace(/\.\d+Z$/, 'Z'),
        containers: list.map((c) => ({
          name: c.container,
          startTime: new Date(c.startedAtMs).toISOString().replace(/\.\d+Z$/, 'Z'),
          ...stats(c, `${c.podUid}/${c.container}`, time, rates),
        })),
        ...stats(total, `pod/${first.podUid}`, time, rates),
      };
    }),
  };
}
