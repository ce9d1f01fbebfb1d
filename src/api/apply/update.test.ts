import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { emptyObjectFor, fieldManagerFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from './index.js';

const deployType = typeInfoForKind('apps/v1', 'Deployment');
const zero = emptyObjectFor('apps/v1', 'Deployment', true);
const t0 = new Date('2024-05-01T10:00:00Z');
const t1 = new Date('2024-05-01T11:00:00Z');

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }], restartPolicy: 'Always' },
    },
  },
};

function update(old: KubeObject | undefined, updated: KubeObject, manager: string, now = t0, subresource?: string) {
  return recordUpdate({ old, updated, manager, operation: 'Update', apiVersion: 'apps/v1', now, typeInfo: deployType, emptyObject: zero, ...(subresource ? { subresource } : {}) });
}

const withFields = (o: KubeObject, managedFields: ManagedFieldsEntry[] | undefined, uid = 'u-1'): KubeObject =>
  ({ ...o, metadata: { ...o.metadata, uid, managedFields } }) as KubeObject;

test('a create records every set field, with "." on what the zero object lacked', () => {
  const entries = update(undefined, deployment, 'kubectl-client-side-apply');
  assert.deepEqual(entries, [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                  'f:resources': {},
                },
              },
              'f:restartPolicy': {},
            },
          },
        },
      },
    },
  ]);
});

test('an update takes the changed fields from their previous owner; unchanged writes keep the time', () => {
  const created = withFields(deployment, update(undefined, deployment, 'kubectl-client-side-apply'));
  const scaled = structuredClone(created);
  (scaled.spec as any).replicas = 3;
  const entries = update(created, scaled, 'kubectl-edit', t1)!;
  assert.deepEqual(entries.map((e) => [e.manager, e.time]), [
    ['kubectl-client-side-apply', '2024-05-01T10:00:00Z'],
    ['kubectl-edit', '2024-05-01T11:00:00Z'],
  ]);
  assert.equal((entries[0]!.fieldsV1 as any)['f:spec']['f:replicas'], undefined);
  assert.deepEqual(entries[1]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });

  const same = update(withFields(scaled, entries), withFields(scaled, entries), 'kubectl-edit', new Date('2024-05-02T00:00:00Z'));
  assert.deepEqual(same, entries);
});

test('status writes are recorded with their subresource and cannot rewrite managedFields', () => {
  // Stored typed objects always carry status: {} (a non-pointer struct), so status itself is not "added".
  const base = { ...deployment, status: {} };
  const created = withFields(base, update(undefined, base, 'kubectl-client-side-apply'));
  const withStatus = { ...structuredClone(created), status: { replicas: 1, readyReplicas: 1 } } as KubeObject;
  withStatus.metadata!.managedFields = [];
  const entries = update(created, withStatus, 'kube-controller-manager', t1, 'status')!;
  const status = entries.find((e) => e.subresource === 'status');
  assert.deepEqual(status, {
    manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2024-05-01T11:00:00Z',
    fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } }, subresource: 'status',
  });
  assert.equal(entries.length, 2);
});

test('[{}] or [] resets managedFields; objects without them stay untracked on update', () => {
  const created = withFields(deployment, update(undefined, deployment, 'kubectl-client-side-apply'));
  const reset = { ...created, metadata: { ...created.metadata, managedFields: [{}] } } as KubeObject;
  assert.equal(update(created, reset, 'kubectl-edit', t1), undefined);
  const untracked = withFields(deployment, undefined);
  const changed = structuredClone(untracked);
  (changed.spec as any).replicas = 9;
  assert.equal(update(untracked, changed, 'kubectl-edit', t1), undefined);
});

test('more than ten updaters: the oldest are merged into ancient-changes', () => {
  let current = withFields(deployment, update(undefined, deployment, 'creator'));
  for (let i = 0; i < 11; i++) {
    const next = structuredClone(current);
    (next.metadata!.annotations as Record<string, string>)[`n${i}`] = String(i);
    next.metadata!.managedFields = update(current, next, `writer-${i}`, new Date(Date.UTC(2024, 4, 2, 0, i)));
    current = next;
  }
  const managers = current.metadata!.managedFields!.map((e) => e.manager);
  assert.equal(managers.length, 10);
  assert.ok(managers.includes('ancient-changes'));
  assert.ok(!managers.includes('creator') && !managers.includes('writer-0') && !managers.includes('writer-1'));
});

test('managers default to the user agent product when the request names none', () => {
  assert.equal(fieldManagerFor(undefined, 'kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9'), 'kubectl');
  assert.equal(fieldManagerFor('', 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller'), 'kube-controller-manager');
  assert.equal(fieldManagerFor('kubectl-label', 'kubectl/v1.32.0'), 'kubectl-label');
});
