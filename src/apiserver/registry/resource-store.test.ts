import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { behaviourFor, metaValidator } from '../../api/kinds/index.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { ResourceStore } from './resource-store.js';

const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'web' } }, data: { key: 'value' } });

/** One core resource's registry on an in-memory store; close() stops its cache first. */
function registryFor(resource: string, kind: string, hasStatus: boolean) {
  const store = new SqliteStore({ path: ':memory:' });
  const registry = new ResourceStore({
    store,
    location: { group: '', resource, namespaced: true },
    group: '',
    version: 'v1',
    kind,
    hasStatus,
    behaviour: behaviourFor('', kind),
    validateMeta: metaValidator('', kind, true),
    admission: [],
  });
  return {
    registry,
    close: async () => {
      registry.cache.stop();
      await store.close();
    },
  };
}

test('create works on a copy unless the caller hands its input over', async () => {
  const { registry, close } = registryFor('configmaps', 'ConfigMap', false);
  try {
    const kept = configMap('kept');
    await registry.create('default', kept, { dryRun: false });
    assert.deepEqual(kept, configMap('kept'), 'the caller still owns an unchanged input');
    const handed = configMap('handed');
    const created = await registry.create('default', handed, { dryRun: false, inputOwned: true });
    assert.equal(created.metadata?.name, 'handed');
    assert.ok(created.metadata?.uid);
    const copied = await registry.get('default', 'kept');
    const owned = await registry.get('default', 'handed');
    assert.deepEqual(Object.keys(owned.object), Object.keys(copied.object), 'same stored shape either way');
  } finally {
    await close();
  }
});

test('a status update takes only the status, copied unless handed over', async () => {
  const { registry: pods, close } = registryFor('pods', 'Pod', true);
  try {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    await pods.create('default', pod, { dryRun: false });
    const next = { ...pod, spec: { containers: [{ name: 'changed', image: 'busybox' }] }, status: { phase: 'Running' } };
    const kept = structuredClone(next);
    const { object } = await pods.update('default', 'p', next, { dryRun: false, subresource: 'status' });
    assert.deepEqual(next, kept, 'the caller still owns an unchanged input');
    assert.equal((object.status as { phase?: string }).phase, 'Running');
    assert.equal((object.spec as { containers: { name: string }[] }).containers[0]!.name, 'c', 'spec stays as stored');
    const handed = { ...structuredClone(next), status: { phase: 'Succeeded' } };
    const second = await pods.update('default', 'p', handed, { dryRun: false, subresource: 'status', inputOwned: true });
    assert.equal((second.object.status as { phase?: string }).phase, 'Succeeded');
    assert.equal((second.object.spec as { containers: { name: string }[] }).containers[0]!.name, 'c');
    assert.deepEqual(Object.keys(second.object), ['apiVersion', 'kind', 'metadata', 'spec', 'status'], 'members keep the stored order');
    const cleared = await pods.update('default', 'p', { ...structuredClone(next), status: undefined }, { dryRun: false, subresource: 'status' });
    assert.equal(cleared.object.status, undefined, 'a status write without status removes it');
  } finally {
    await close();
  }
});
