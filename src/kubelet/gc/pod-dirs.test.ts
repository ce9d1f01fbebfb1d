import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanupOrphanedPodDirs } from './pod-dirs.js';

function layout(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-pod-dirs-'));
  for (const uid of ['known', 'sandboxed', 'orphan', 'mounted']) {
    mkdirSync(join(dataDir, 'pods', uid, 'volumes', 'kubernetes.io~secret', 's'), { recursive: true });
    writeFileSync(join(dataDir, 'pods', uid, 'volumes', 'kubernetes.io~secret', 's', 'token'), 'x');
    mkdirSync(join(dataDir, 'log', 'pods', `ns_pod-${uid}_${uid}`, 'c'), { recursive: true });
  }
  return dataDir;
}

test('pod and log directories of pods neither known nor sandboxed are removed, after their mounts', () => {
  const dataDir = layout();
  const mounted = new Set([join(dataDir, 'pods', 'mounted', 'volumes', 'kubernetes.io~secret', 's')]);
  const unmounted: string[] = [];
  const logs: string[] = [];
  try {
    const removed = cleanupOrphanedPodDirs({
      dataDir,
      knownPods: () => new Set(['known']),
      podsWithSandboxes: () => new Set(['sandboxed']),
      mountsUnder: (dir) => [...mounted].filter((m) => m.startsWith(`${dir}/`) && !m.includes('mounted')),
      unmountAll: (dir) => unmounted.push(dir),
      log: (m) => logs.push(m),
    });
    assert.deepEqual(removed.sort(), ['mounted', 'orphan']);
    assert.ok(existsSync(join(dataDir, 'pods', 'known')) && existsSync(join(dataDir, 'pods', 'sandboxed')));
    assert.ok(!existsSync(join(dataDir, 'pods', 'orphan')));
    assert.deepEqual(unmounted.sort(), [join(dataDir, 'pods', 'mounted'), join(dataDir, 'pods', 'orphan')]);
    assert.ok(!existsSync(join(dataDir, 'log', 'pods', 'ns_pod-orphan_orphan')));
    assert.ok(existsSync(join(dataDir, 'log', 'pods', 'ns_pod-known_known')));
    assert.ok(logs.includes('orphaned pod "orphan" found, removing'));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a directory whose volumes cannot be unmounted is left for the next pass', () => {
  const dataDir = layout();
  const logs: string[] = [];
  try {
    const removed = cleanupOrphanedPodDirs({
      dataDir,
      knownPods: () => new Set(['known', 'sandboxed', 'orphan']),
      podsWithSandboxes: () => new Set(),
      mountsUnder: (dir) => (dir.endsWith('/mounted') ? [`${dir}/volumes/kubernetes.io~secret/s`] : []),
      unmountAll: () => undefined,
      log: (m) => logs.push(m),
    });
    assert.deepEqual(removed, []);
    assert.ok(existsSync(join(dataDir, 'pods', 'mounted', 'volumes', 'kubernetes.io~secret', 's', 'token')));
    assert.deepEqual(logs, ['orphaned pod "mounted" found, but volumes are still mounted on disk']);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
