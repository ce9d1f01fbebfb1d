import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { defaultTolerationSecondsPlugin } from './default-toleration-seconds.js';

const pods = { ref: { group: '', resource: 'pods' } } as unknown as ResourceStore;

async function admit(tolerations: unknown[] | undefined, options = {}, operation: 'CREATE' | 'UPDATE' = 'CREATE'): Promise<unknown> {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } };
  await defaultTolerationSecondsPlugin(options).admit({ operation, store: pods, object: pod, dryRun: false });
  return (pod.spec as { tolerations?: unknown }).tolerations;
}

test('a new pod gets 300 s tolerations for the not-ready and unreachable NoExecute taints', async () => {
  assert.deepEqual(await admit(undefined), [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('tolerations the pod already has are kept and not doubled; the seconds are configurable', async () => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  assert.deepEqual(await admit([own], { notReadySeconds: 7 }), [own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 }]);
});

test('a toleration of every taint covers both; updates are left alone', async () => {
  assert.deepEqual(await admit([{ operator: 'Exists' }]), [{ operator: 'Exists' }]);
  assert.equal(await admit(undefined, {}, 'UPDATE'), undefined);
});

test('a pod that sets its own seconds for these taints keeps them', async () => {
  const own = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  assert.deepEqual(await admit(own, { notReadySeconds: 2, unreachableSeconds: 3 }), own);
});
