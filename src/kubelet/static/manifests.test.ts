import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readManifests, staticPodFrom } from './manifests.js';

const node = { name: 'node-a', uid: 'n-uid' };

test('a manifest becomes a pod named <name>-<node>, bound to the node, with the mirror annotations', () => {
  const { pod, hash } = staticPodFrom('web.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: c, image: busybox}]\n', node, '2024-01-01T00:00:00Z');
  assert.equal(pod.metadata?.name, 'web-node-a');
  assert.equal(pod.metadata?.namespace, 'default');
  assert.equal(pod.spec?.nodeName, 'node-a');
  assert.equal(pod.metadata?.annotations?.['kubernetes.io/config.mirror'], hash);
  assert.equal(pod.metadata?.annotations?.['kubernetes.io/config.source'], 'file');
  assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'Node');
  const changed = staticPodFrom('web.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: c, image: busybox:1}]\n', node, '2024-01-01T00:00:00Z');
  assert.notEqual(changed.hash, hash, 'a changed manifest is a new pod');
});

test('bad files are reported and skipped; hidden and other files ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-manifests-'));
  try {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [] } }));
    writeFileSync(join(dir, 'b.yaml'), 'kind: Service\n');
    writeFileSync(join(dir, '.swp.yaml'), 'garbage: [');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const errors: string[] = [];
    const pods = readManifests(dir, node, 'now', (m) => errors.push(m));
    assert.deepEqual(pods.map((p) => p.pod.metadata?.name), ['a-node-a']);
    assert.deepEqual(errors, ['static pod manifest b.yaml: b.yaml: not a Pod manifest']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
