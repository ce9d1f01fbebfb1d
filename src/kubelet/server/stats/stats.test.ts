import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerUsage } from './collect.js';
import { renderResourceMetrics } from './resource-metrics.js';
import { buildSummary, CpuRates } from './summary.js';

const node = { cpuUsageNanos: 5e9, memoryUsageBytes: 2000, memoryWorkingSetBytes: 1500, memoryAvailableBytes: 500 };
const containers: ContainerUsage[] = [
  { namespace: 'ns', pod: 'p', podUid: 'u', container: 'a', startedAtMs: 1_700_000_000_000, cpuUsageNanos: 1e9, memoryUsageBytes: 100, memoryWorkingSetBytes: 80 },
  { namespace: 'ns', pod: 'p', podUid: 'u', container: 'b', startedAtMs: 1_700_000_001_000, cpuUsageNanos: 2e9, memoryUsageBytes: 200, memoryWorkingSetBytes: 160 },
];

test('the summary groups containers into pods with summed usage, and CPU rates appear from the second reading', () => {
  const rates = new CpuRates();
  const first = buildSummary('n', new Date(0), node, containers, rates);
  assert.equal(first.node.nodeName, 'n');
  assert.equal(first.node.memory.availableBytes, 500);
  assert.equal(first.pods.length, 1);
  assert.deepEqual(first.pods[0]!.podRef, { name: 'p', namespace: 'ns', uid: 'u' });
  assert.equal(first.pods[0]!.memory.workingSetBytes, 240);
  assert.equal(first.pods[0]!.cpu.usageCoreNanoSeconds, 3e9);
  assert.equal('usageNanoCores' in first.pods[0]!.cpu, false);
  assert.equal(rates.rate('k', 0, 0n), undefined);
  assert.equal(rates.rate('k', 5e8, 1_000_000_000n), 5e8, 'half a core over one second');
});

test('resource metrics are Prometheus text with the kubelet metric names', () => {
  const text = renderResourceMetrics(node, containers, 1234);
  assert.match(text, /^# HELP container_cpu_usage_seconds_total \[STABLE\]/m);
  assert.match(text, /^container_cpu_usage_seconds_total\{container="b",namespace="ns",pod="p"\} 2 1234$/m);
  assert.match(text, /^pod_memory_working_set_bytes\{namespace="ns",pod="p"\} 240 1234$/m);
  assert.match(text, /^node_cpu_usage_seconds_total 5 1234$/m);
  assert.match(text, /^scrape_error 0$/m);
});
