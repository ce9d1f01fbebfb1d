import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { fakeInformer } from '../fakes.test-support.js';
import { PvProtectionController } from './pv-protection.js';
import { PvcProtectionController } from './pvc-protection.js';

const claim = (finalizers: string[], deleting = false): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'ns', finalizers, ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
});
const podUsing = (o: { nodeName?: string; phase?: string } = {}): Pod => ({
  metadata: { name: 'user', namespace: 'ns' },
  spec: { containers: [], ...(o.nodeName ? { nodeName: o.nodeName } : {}), volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] },
  status: { phase: o.phase ?? 'Running' },
});

function pvcSetup(pvc: PersistentVolumeClaim, cachedPods: Pod[], apiPods: Pod[] = cachedPods) {
  const writes: string[][] = [];
  const controller = new PvcProtectionController({
    claims: fakeInformer([pvc as KubeObject]),
    pods: fakeInformer(cachedPods as unknown as KubeObject[]),
    api: { setFinalizers: async (_pvc, finalizers) => void writes.push(finalizers), listPods: async () => apiPods },
  });
  return { controller, writes };
}

test('a new claim gets the pvc-protection finalizer', async () => {
  const { controller, writes } = pvcSetup(claim(['other']), []);
  await controller.processClaim('ns/data');
  assert.deepEqual(writes, [['other', 'kubernetes.io/pvc-protection']]);
});

test('a deleted claim keeps its finalizer while a scheduled running pod uses it', async () => {
  const { controller, writes } = pvcSetup(claim(['kubernetes.io/pvc-protection'], true), [podUsing({ nodeName: 'n' })]);
  await controller.processClaim('ns/data');
  assert.deepEqual(writes, []);
});

test('the API is asked before removing: a pod the cache does not show yet keeps the claim', async () => {
  const { controller, writes } = pvcSetup(claim(['kubernetes.io/pvc-protection'], true), [], [podUsing({ nodeName: 'n' })]);
  await controller.processClaim('ns/data');
  assert.deepEqual(writes, []);
});

test('unscheduled or finished pods do not hold a deleted claim', async () => {
  const { controller, writes } = pvcSetup(claim(['kubernetes.io/pvc-protection'], true), [podUsing(), podUsing({ nodeName: 'n', phase: 'Succeeded' })]);
  await controller.processClaim('ns/data');
  assert.deepEqual(writes, [[]]);
});

test('pv-protection: added to new volumes, removed from deleted ones unless Bound', async () => {
  const volume = (finalizers: string[], phase: string, deleting: boolean): PersistentVolume => ({
    metadata: { name: 'pv', finalizers, ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    status: { phase },
  });
  for (const [pv, expected] of [
    [volume([], 'Available', false), [['kubernetes.io/pv-protection']]],
    [volume(['kubernetes.io/pv-protection'], 'Bound', true), []],
    [volume(['kubernetes.io/pv-protection'], 'Released', true), [[]]],
  ] as const) {
    const writes: string[][] = [];
    const controller = new PvProtectionController({ volumes: fakeInformer([pv as KubeObject]), api: { setFinalizers: async (_pv, f) => void writes.push(f) } });
    await controller.processVolume('pv');
    assert.deepEqual(writes, expected);
  }
});
