import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from './index.js';

describe('convert', () => {
  it('is the identity (with apiVersion set) for kinds with one shape', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } };
    const same = convert(pdb, 'policy/v1');
    assert.deepEqual(same, pdb);
    assert.notEqual(same, pdb);
    const fc = convert({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', spec: {} }, 'flowcontrol.apiserver.k8s.io/v1');
    assert.equal(fc.apiVersion, 'flowcontrol.apiserver.k8s.io/v1');
  });

  it('throws for impossible conversions', () => {
    assert.throws(() => convert({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'batch/v1'), /no conversion for Deployment/);
    assert.throws(() => convert({ apiVersion: 'v1', kind: 'Event' }, 'events.k8s.io/v1beta1'), /not supported/);
    assert.throws(() => convert({ kind: 'Pod' }, 'v1'), /without apiVersion and kind/);
  });
});
