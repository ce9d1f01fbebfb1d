import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rankForEviction } from './rank.js';
import type { PodStats } from './pod-stats.js';

const mi = 1024 * 1024;

function pod(name: string, options: { memoryRequest?: string; storageRequest?: string; priority?: number } = {}): Pod {
  const requests: Record<string, string> = {};
  if (options.memoryRequest) requests['memory'] = options.memoryRequest;
  if (options.storageRequest) requests['ephemeral-storage'] = options.storageRequest;
  return { metadata: { name, uid: name }, spec: { priority: options.priority, containers: [{ name: 'c', image: 'busybox', resources: { requests } }] } };
}

function statsOf(table: Record<string, Partial<PodStats> & { memory?: number; disk?: number }>) {
  return (p: Pod): PodStats | undefined => {
    const row = table[p.metadata?.name ?? ''];
    if (!row) return undefined;
    return { containers: [{ name: 'c', memoryWorkingSetBytes: row.memory ?? 0, rootfsBytes: row.disk ?? 0, logsBytes: 0 }], volumeBytes: 0, volumeInodes: 0, processes: row.processes ?? 0 };
  };
}

const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '');

test('memory: BestEffort (using more than its zero request) goes before a Burstable pod within its request', () => {
  const pods = [pod('burstable', { memoryRequest: '100Mi' }), pod('besteffort')];
  const ranked = rankForEviction(pods, 'memory.available', statsOf({ burstable: { memory: 50 * mi }, besteffort: { memory: 1 * mi } }));
  assert.deepEqual(names(ranked), ['besteffort', 'burstable']);
});

test('memory: among pods over their requests, lower priority goes first, then the larger use above request', () => {
  const pods = [pod('high', { priority: 1000 }), pod('small'), pod('big', { memoryRequest: '10Mi' })];
  const ranked = rankForEviction(pods, 'memory.available', statsOf({ high: { memory: 500 * mi }, small: { memory: 20 * mi }, big: { memory: 40 * mi } }));
  assert.deepEqual(names(ranked), ['big', 'small', 'high']);
});

test('pods without stats are evicted first', () => {
  const ranked = rankForEviction([pod('known'), pod('unknown')], 'memory.available', statsOf({ known: { memory: 500 * mi } }));
  assert.deepEqual(names(ranked), ['unknown', 'known']);
});

test('disk: ranked by ephemeral-storage use over its request', () => {
  const pods = [pod('within', { storageRequest: '1Gi' }), pod('writer'), pod('quiet')];
  const ranked = rankForEviction(pods, 'nodefs.available', statsOf({ within: { disk: 500 * mi }, writer: { disk: 200 * mi }, quiet: { disk: 1 * mi } }));
  assert.deepEqual(names(ranked), ['writer', 'quiet', 'within']);
});

test('pids: by priority, then the most processes', () => {
  const ranked = rankForEviction([pod('few'), pod('many'), pod('low', { priority: -10 })], 'pid.available', statsOf({ few: { processes: 2 }, many: { processes: 50 }, low: { processes: 1 } }));
  assert.deepEqual(names(ranked), ['low', 'many', 'few']);
});
