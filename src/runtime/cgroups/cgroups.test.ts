// The files k8ts writes for each cgroup version. The real hierarchies are exercised by the
// runtime conformance suite on this machine's v1; v2 (not mounted with controllers here) is
// checked against a directory laid out like a v2 hierarchy.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Cgroups, sharesToWeight } from './cgroups.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-cgroups-'));
after(() => rmSync(work, { recursive: true, force: true }));

function v2Root(): string {
  const root = join(work, `v2-${Math.random().toString(36).slice(2)}`);
  mkdirSync(root);
  writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  writeFileSync(join(root, 'cgroup.subtree_control'), '');
  return root;
}

test('cgroup v2: controllers are enabled down the path and limits go to cpu.weight, cpu.max, memory.max, pids.max', async () => {
  const root = v2Root();
  const cgroups = new Cgroups(root);
  assert.equal(cgroups.version, 2);
  // A real v2 hierarchy creates these files itself; the layout is prepared for the writes.
  const dir = join(root, 'k8ts', 'pod-a', 'c1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'k8ts', 'cgroup.controllers'), 'cpu memory pids\n');
  writeFileSync(join(root, 'k8ts', 'pod-a', 'cgroup.controllers'), 'cpu memory pids\n');
  writeFileSync(join(dir, 'memory.swap.max'), 'max\n');
  await cgroups.create('/k8ts/pod-a/c1', { cpuShares: 512, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000, memoryLimitBytes: 64 * 1024 * 1024, pidsLimit: 20 });
  assert.equal(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8'), '+cpu +memory +pids');
  assert.equal(readFileSync(join(dir, 'cpu.weight'), 'utf8'), String(sharesToWeight(512)));
  assert.equal(readFileSync(join(dir, 'cpu.max'), 'utf8'), '50000 100000');
  assert.equal(readFileSync(join(dir, 'memory.max'), 'utf8'), String(64 * 1024 * 1024));
  assert.equal(readFileSync(join(dir, 'memory.swap.max'), 'utf8'), '0');
  assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8'), '20');
  writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
  assert.equal(await cgroups.oomKilled('/k8ts/pod-a/c1', false), true, 'v2 counts OOM kills itself');
  writeFileSync(join(dir, 'memory.events'), 'oom_kill 0\n');
  assert.equal(await cgroups.oomKilled('/k8ts/pod-a/c1', true), false);
});

test('cpu.shares map to cgroup v2 weights as runc maps them', () => {
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(262144), 10000);
});

test('cgroup v1: a container that died of SIGKILL at its memory limit was OOM-killed; one below it was not', async () => {
  const root = join(work, 'v1');
  const memory = join(root, 'memory', 'k8ts', 'c1');
  mkdirSync(memory, { recursive: true });
  const cgroups = new Cgroups(root);
  assert.equal(cgroups.version, 1);
  writeFileSync(join(memory, 'memory.limit_in_bytes'), '16777216\n');
  writeFileSync(join(memory, 'memory.max_usage_in_bytes'), '16777216\n');
  assert.equal(await cgroups.oomKilled('/k8ts/c1', true), true);
  assert.equal(await cgroups.oomKilled('/k8ts/c1', false), false, 'only SIGKILL deaths');
  writeFileSync(join(memory, 'memory.max_usage_in_bytes'), '1048576\n');
  assert.equal(await cgroups.oomKilled('/k8ts/c1', true), false, 'killed below its limit: not the OOM killer');
});
