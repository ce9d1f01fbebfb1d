// /metrics/resource: the kubelet's resource metrics in Prometheus text format (what
// metrics-server scrapes since v0.6): cumulative CPU seconds and working-set bytes for the node,
// each pod and each container, with the reading's time in milliseconds.
import type { ContainerUsage, NodeUsage } from './collect.js';

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function renderResourceMetrics(node: NodeUsage, containers: readonly ContainerUsage[], nowMs = Date.now()): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: 'counter' | 'gauge', samples: [Record<string, string>, number][]): void => {
    lines.push(`# HELP ${name} [STABLE] ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const text = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
      lines.push(`${name}${text ? `{${text}}` : ''} ${value} ${nowMs}`);
    }
  };
  const containerLabels = (c: ContainerUsage) => ({ container: c.container, namespace: c.namespace, pod: c.pod });
  metric('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the container in core-seconds', 'counter', containers.map((c) => [containerLabels(c), c.cpuUsageNanos / 1e9]));
  metric('container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge', containers.map((c) => [containerLabels(c), c.memoryWorkingSetBytes]));
  metric('container_start_time_seconds', 'Start time of the container since unix epoch in seconds', 'gauge', containers.map((c) => [containerLabels(c), c.startedAtMs / 1000]));
  metric('node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter', [[{}, node.cpuUsageNanos / 1e9]]);
  metric('node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge', [[{}, node.memoryWorkingSetBytes]]);
  const pods = new Map<string, { namespace: string; pod: string; cpu: number; memory: number }>();
  for (const c of containers) {
    const key = `${c.namespace}/${c.pod}`;
    const entry = pods.get(key) ?? { namespace: c.namespace, pod: c.pod, cpu: 0, memory: 0 };
    entry.cpu += c.cpuUsageNanos;
    entry.memory += c.memoryWorkingSetBytes;
    pods.set(key, entry);
  }
  metric('pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter', [...pods.values()].map((p) => [{ namespace: p.namespace, pod: p.pod }, p.cpu / 1e9]));
  metric('pod_memory_working_set_bytes', 'Current working set of the pod in bytes', 'gauge', [...pods.values()].map((p) => [{ namespace: p.namespace, pod: p.pod }, p.memory]));
  lines.push('# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise', '# TYPE scrape_error gauge', 'scrape_error 0');
  return `${lines.join('\n')}\n`;
}
