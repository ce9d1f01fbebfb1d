import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryObservation, observeHost, parseMeminfo, parseTaskCount } from './observations.js';

test('memory.available is MemTotal minus usage net of inactive file cache', () => {
  assert.deepEqual(memoryObservation(8_000, 5_000, 1_000), { available: 4_000, capacity: 8_000 });
  assert.deepEqual(memoryObservation(8_000, 500, 1_000), { available: 8_000, capacity: 8_000 });
});

test('meminfo and loadavg parse', () => {
  assert.equal(parseMeminfo('MemTotal:       16318584 kB\nMemFree:  1 kB\n').get('MemTotal'), 16318584 * 1024);
  assert.equal(parseTaskCount('0.52 0.58 0.59 3/1234 56789\n'), 1234);
});

test('the host reader turns a cgroup v1 root, /proc and statfs into observations', async () => {
  const root = mkdtempSync(join(tmpdir(), 'eviction-observe-'));
  try {
    mkdirSync(join(root, 'proc/sys/kernel'), { recursive: true });
    mkdirSync(join(root, 'memory'));
    writeFileSync(join(root, 'proc/meminfo'), 'MemTotal: 1024 kB\nMemAvailable: 512 kB\n');
    writeFileSync(join(root, 'proc/sys/kernel/pid_max'), '4194304\n');
    writeFileSync(join(root, 'proc/sys/kernel/threads-max'), '1000\n');
    writeFileSync(join(root, 'proc/loadavg'), '0.1 0.1 0.1 1/200 42\n');
    writeFileSync(join(root, 'memory/memory.usage_in_bytes'), '600000\n');
    writeFileSync(join(root, 'memory/memory.stat'), 'cache 1\ntotal_inactive_file 100000\n');
    const observations = await observeHost({ dataDir: root, imageDir: root, memoryCgroupRoot: join(root, 'memory'), cgroupVersion: 1, proc: join(root, 'proc') });
    assert.deepEqual(observations['memory.available'], { available: 1024 * 1024 - 500_000, capacity: 1024 * 1024 });
    assert.deepEqual(observations['pid.available'], { available: 800, capacity: 1000 });
    assert.ok(observations['nodefs.available']!.capacity > 0);
    assert.ok(observations['imagefs.inodesFree']!.capacity > 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
