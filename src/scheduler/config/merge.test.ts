import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPlugins, mergePlugins, mergePluginSet } from './index.js';

const names = (refs: { name: string; weight?: number }[] | undefined): string[] => (refs ?? []).map((r) => (r.weight ? `${r.name}:${r.weight}` : r.name));

test('disabled defaults drop out and the rest keep their order', () => {
  const merged = mergePluginSet({ enabled: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, { disabled: [{ name: 'B' }] });
  assert.deepEqual(names(merged.enabled), ['A', 'C']);
  assert.deepEqual(merged.disabled, [{ name: 'B' }]);
});

test('a default enabled again is replaced in place with the new weight; new plugins are appended', () => {
  const merged = mergePluginSet(
    { enabled: [{ name: 'A', weight: 1 }, { name: 'B', weight: 2 }] },
    { enabled: [{ name: 'New' }, { name: 'B', weight: 7 }] },
  );
  assert.deepEqual(names(merged.enabled), ['A:1', 'B:7', 'New']);
});

test('"*" disables every default; only the custom plugins remain', () => {
  const merged = mergePluginSet({ enabled: [{ name: 'A' }, { name: 'B' }] }, { enabled: [{ name: 'Mine' }], disabled: [{ name: '*' }] });
  assert.deepEqual(names(merged.enabled), ['Mine']);
  assert.deepEqual(merged.disabled, [{ name: '*' }]);
});

test('custom points merge with the default MultiPoint set; absent plugins keep the defaults', () => {
  assert.deepEqual(mergePlugins(defaultPlugins(), undefined), defaultPlugins());
  const merged = mergePlugins(defaultPlugins(), {
    multiPoint: { disabled: [{ name: 'ImageLocality' }], enabled: [{ name: 'TaintToleration', weight: 5 }] },
    score: { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] },
  });
  const multiPoint = names(merged.multiPoint?.enabled);
  assert.ok(!multiPoint.includes('ImageLocality'));
  assert.equal(multiPoint[4], 'TaintToleration:5');
  assert.deepEqual(merged.score, { disabled: [{ name: 'NodeResourcesBalancedAllocation' }] });
  assert.equal(merged.filter, undefined);
});
