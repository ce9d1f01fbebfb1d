// GET /stats/summary and /metrics/resource.
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { ServerResponse } from 'node:http';
import { containerUsages, nodeUsage } from '../stats/collect.js';
import { renderResourceMetrics } from '../stats/resource-metrics.js';
import { buildSummary, CpuRates } from '../stats/summary.js';
import type { PodContainerLocator } from '../types.js';

async function bootTime(): Promise<Date> {
  const uptimeSeconds = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  return new Date(Date.now() - uptimeSeconds * 1000);
}

export function statsHandlers(locator: PodContainerLocator, nodeName = hostname().toLowerCase()) {
  const rates = new CpuRates();
  return {
    async summary(response: ServerResponse): Promise<void> {
      const [node, containers, boot] = await Promise.all([nodeUsage(), containerUsages(locator.runtime), bootTime()]);
      const body = JSON.stringify(buildSummary(nodeName, boot, node, containers, rates), null, 2);
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
    },
    async resourceMetrics(response: ServerResponse): Promise<void> {
      const [node, containers] = await Promise.all([nodeUsage(), containerUsages(locator.runtime)]);
      const body = renderResourceMetrics(node, containers);
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
    },
  };
}
