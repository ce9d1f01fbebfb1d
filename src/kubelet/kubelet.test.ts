import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkNames } from './kubelet.js';

test('the default data dir gets k8ts0; other data dirs get bridge and netns names of their own', () => {
  assert.deepEqual(networkNames('/var/lib/k8ts'), { bridge: 'k8ts0', netnsPrefix: 'k8ts-' });
  const a = networkNames('/tmp/a');
  const b = networkNames('/tmp/b');
  assert.notEqual(a.bridge, b.bridge);
  assert.ok(a.bridge.length <= 15, 'Linux interface names are at most 15 bytes');
  assert.match(a.netnsPrefix, /^k8ts-[0-9a-f]{6}-$/);
});
