import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { checkUnknownFields, pruneUnknownFields } from './field-validation.js';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'x' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:anything': {} } } }] },
  spec: {
    containers: [
      { name: 'a', image: 'nginx', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80 }] },
      { name: 'b', image: 'nginx', imagee: 'typo', ports: [{ containerPort: 81, hostPortt: 1 }] },
    ],
    nodeSelector: { zone: 'a' },
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', extra: true }] },
});

test('pruneUnknownFields removes undeclared fields and names them by path', () => {
  const obj = pod();
  (obj as Record<string, unknown>).topLevel = 1;
  (obj.spec as Record<string, unknown>).replica = 3;
  assert.deepEqual(pruneUnknownFields(obj, '', 'v1', 'Pod'), [
    'spec.containers[1].imagee',
    'spec.containers[1].ports[0].hostPortt',
    'spec.replica',
    'status.conditions[0].extra',
    'topLevel',
  ]);
  assert.equal('imagee' in (obj.spec as { containers: object[] }).containers[1]!, false);
  assert.equal('topLevel' in obj, false);
  assert.deepEqual(obj.metadata?.labels, { app: 'web' }, 'maps keep their keys');
  assert.deepEqual(obj.metadata?.managedFields?.[0]?.fieldsV1, { 'f:spec': { 'f:anything': {} } }, 'free-form values are not walked');
});

test('map values are walked with their key in brackets', () => {
  const owner = { apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', bogus: 1 };
  const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ownerReferences: [owner] }, data: { a: 'b' } };
  assert.deepEqual(pruneUnknownFields(obj, '', 'v1', 'ConfigMap'), ['metadata.ownerReferences[0].bogus']);
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }], overhead: { cpu: '1' } } } } };
  assert.deepEqual(pruneUnknownFields(deployment, 'apps', 'v1', 'Deployment'), []);
});

test('the same walk gives the same answer twice (shapes are cached per schema)', () => {
  assert.deepEqual(pruneUnknownFields(pod(), '', 'v1', 'Pod'), pruneUnknownFields(pod(), '', 'v1', 'Pod'));
});

test('checkUnknownFields fails Strict writes with upstream message and warns otherwise', () => {
  const target = { group: '', version: 'v1', kind: 'Pod' };
  assert.throws(() => checkUnknownFields(pod(), target, 'Strict'), /Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers\[1\].imagee", unknown field "spec.containers\[1\].ports\[0\].hostPortt"/);
  assert.deepEqual(checkUnknownFields(pod(), target, 'Warn').length, 3);
  assert.deepEqual(checkUnknownFields(pod(), target, 'Ignore'), []);
});
