import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { applyConfig, emptyObjectFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from './index.js';

const deployType = typeInfoForKind('apps/v1', 'Deployment');
const t0 = new Date('2024-05-01T10:00:00Z');
const t1 = new Date('2024-05-01T10:05:00Z');
const t2 = new Date('2024-05-01T10:09:30Z');

function deployment(replicas?: number, extra: Record<string, unknown> = {}): KubeObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
    ...extra,
  };
  if (replicas !== undefined) spec.replicas = replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec };
}

function apply(live: KubeObject | undefined, config: KubeObject, manager = 'kubectl', now = t0, force = false) {
  return applyConfig({ live, config, manager, apiVersion: 'apps/v1', typeInfo: deployType, now, force });
}

/** What the registry would store: server-set metadata added on create. */
function stored(object: KubeObject): KubeObject {
  return { ...object, metadata: { uid: 'u-1', resourceVersion: '1', creationTimestamp: '2024-05-01T10:00:00Z', ...object.metadata } };
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return err;
  }
  assert.fail('expected a conflict');
}

const spec = (o: KubeObject) => o.spec as Record<string, any>;

test('create by apply records one Apply entry with the fieldsV1 upstream writes', () => {
  const { object, managedFields, changed } = apply(undefined, deployment(2));
  assert.equal(changed, true);
  const expected: ManagedFieldsEntry[] = [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                },
              },
            },
          },
        },
      },
    },
  ];
  assert.deepEqual(managedFields, expected);
  assert.equal(JSON.stringify(object.metadata?.managedFields), JSON.stringify(expected), 'key order as upstream');
  assert.equal(spec(object).replicas, 2);
});

test('re-applying the same config changes nothing, not even the entry time', () => {
  const first = stored(apply(undefined, deployment(2)).object);
  const again = apply(first, deployment(2), 'kubectl', t1);
  assert.equal(again.changed, false);
  assert.deepEqual(again.object, first);
});

test('a field dropped from the config is removed when nobody else owns it', () => {
  const first = stored(apply(undefined, deployment(2, { minReadySeconds: 5 })).object);
  const next = apply(first, deployment(2), 'kubectl', t1);
  assert.equal(spec(next.object).minReadySeconds, undefined);
  assert.equal(next.managedFields?.[0]?.time, '2024-05-01T10:05:00Z');
  assert.equal((next.managedFields?.[0]?.fieldsV1 as any)['f:spec']['f:minReadySeconds'], undefined);
});

test('two appliers own different fields; a field dropped by one stays while the other owns it', () => {
  const a = stored(apply(undefined, deployment(2)).object);
  const partial: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { team: 'x' } }, spec: { replicas: 2 } };
  const b = stored(apply(a, partial, 'ops', t1).object);
  assert.deepEqual(b.metadata?.managedFields?.map((e) => e.manager), ['kubectl', 'ops']);
  // kubectl stops applying replicas: ops still owns it, so the value stays.
  const c = apply(b, deployment(), 'kubectl', t2).object;
  assert.equal(spec(c).replicas, 2);
  const ops = c.metadata?.managedFields?.find((e) => e.manager === 'ops');
  assert.deepEqual(ops?.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:team': {} } }, 'f:spec': { 'f:replicas': {} } });
});

test('changing a field another manager owns is a conflict with upstream message and causes', () => {
  const created = stored(apply(undefined, deployment(2)).object);
  const err = conflictOf(() => apply(created, { ...deployment(3), spec: { replicas: 3 } }, 'ops', t1));
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  assert.deepEqual(err.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }] });
});

test('conflicts with updaters name their apiVersion; several conflicts are listed per manager', () => {
  const live = deployment(2);
  const managedFields = recordUpdate({
    old: undefined, updated: live, manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1',
    now: t0, typeInfo: deployType, emptyObject: emptyObjectFor('apps/v1', 'Deployment', true),
  });
  const created = stored({ ...live, metadata: { ...live.metadata, managedFields } as KubeObject['metadata'] });
  const one = conflictOf(() => apply(created, { ...deployment(), spec: { replicas: 3 } }, 'ops', t1));
  assert.equal(one.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');

  const config = deployment(3);
  (spec(config).template.spec.containers[0] as Record<string, unknown>).image = 'nginx:1.28';
  const many = conflictOf(() => apply(created, config, 'ops', t1));
  assert.equal(
    many.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
      '- .spec.replicas\n' +
      '- .spec.template.spec.containers[name="nginx"].image',
  );
  assert.deepEqual(many.details?.causes?.map((c) => c.field), ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
});

test('force takes ownership from the other manager', () => {
  const created = stored(apply(undefined, deployment(2)).object);
  const { object } = apply(created, { ...deployment(), spec: { replicas: 5 } }, 'ops', t1, true);
  assert.equal(spec(object).replicas, 5);
  const byManager = Object.fromEntries((object.metadata?.managedFields ?? []).map((e) => [e.manager, e.fieldsV1 as any]));
  assert.equal(byManager.kubectl['f:spec']['f:replicas'], undefined);
  assert.deepEqual(byManager.ops, { 'f:spec': { 'f:replicas': {} } });
});

test('applying the value another manager already has shares ownership without conflict', () => {
  const created = stored(apply(undefined, deployment(2)).object);
  const { object } = apply(created, { ...deployment(), spec: { replicas: 2 } }, 'ops', t1);
  assert.equal(object.metadata?.managedFields?.length, 2);
});

test('containers merge by name and ports by containerPort and protocol; args stay atomic', () => {
  const created = stored(apply(undefined, deployment(1)).object);
  const sidecar: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { template: { spec: { containers: [
      { name: 'nginx', ports: [{ containerPort: 80, protocol: 'UDP' }] },
      { name: 'log', image: 'busybox', args: ['tail', '-f'] },
    ] } } },
  };
  const merged = stored(apply(created, sidecar, 'sidecar', t1).object);
  const containers = spec(merged).template.spec.containers;
  assert.deepEqual(containers.map((c: any) => c.name), ['nginx', 'log']);
  assert.deepEqual(containers[0].ports, [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }]);
  assert.equal(containers[0].image, 'nginx:1.27');
  const sidecarFields = merged.metadata?.managedFields?.find((e) => e.manager === 'sidecar')?.fieldsV1 as any;
  assert.deepEqual(Object.keys(sidecarFields['f:spec']['f:template']['f:spec']['f:containers']), ['k:{"name":"log"}', 'k:{"name":"nginx"}']);
  assert.deepEqual(sidecarFields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"log"}']['f:args'], {});

  // An atomic list is replaced whole, and changing it conflicts as one field.
  const args = structuredClone(sidecar);
  spec(args).template.spec.containers[1].args = ['sleep'];
  const replaced = apply(merged, args, 'sidecar', t2).object;
  assert.deepEqual(spec(replaced).template.spec.containers[1].args, ['sleep']);
  const err = conflictOf(() => apply(merged, args, 'other', t2));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "sidecar": .spec.template.spec.containers[name="log"].args');

  // Dropping its container from the config removes it; the shared one stays.
  const dropped = structuredClone(sidecar);
  spec(dropped).template.spec.containers = [{ name: 'nginx', ports: [{ containerPort: 80, protocol: 'UDP' }] }];
  const after = apply(merged, dropped, 'sidecar', t2).object;
  assert.deepEqual(spec(after).template.spec.containers.map((c: any) => c.name), ['nginx']);
});

test('finalizers are a set: appliers add and remove their own values', () => {
  const cmType = typeInfoForKind('v1', 'ConfigMap');
  const cm = (finalizers: string[], data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', finalizers }, data });
  const run = (live: KubeObject | undefined, config: KubeObject, manager: string, now: Date) =>
    applyConfig({ live, config, manager, apiVersion: 'v1', typeInfo: cmType, now });
  const a = stored(run(undefined, cm(['example.com/a'], { x: '1' }), 'a', t0).object);
  const b = stored(run(a, cm(['example.com/b'], { y: '2' }), 'b', t1).object);
  assert.deepEqual(b.metadata?.finalizers, ['example.com/a', 'example.com/b']);
  assert.deepEqual(b.data, { x: '1', y: '2' });
  const bFields = b.metadata?.managedFields?.find((e) => e.manager === 'b')?.fieldsV1;
  assert.deepEqual(bFields, { 'f:data': { 'f:y': {} }, 'f:metadata': { 'f:finalizers': { 'v:"example.com/b"': {} } } });
  const c = run(b, cm([], { x: '1' }), 'a', t2).object;
  assert.deepEqual(c.metadata?.finalizers, ['example.com/b']);
  assert.deepEqual(c.data, { x: '1', y: '2' });
});

test('config with managedFields is rejected; missing list keys fail like upstream', () => {
  const bad = { ...deployment(1), metadata: { name: 'web', managedFields: [] } } as KubeObject;
  assert.throws(() => apply(undefined, bad), /metadata.managedFields must be nil/);
  const noName = deployment(1);
  delete spec(noName).template.spec.containers[0].name;
  assert.throws(() => apply(undefined, noName), /omits key field "name"/);
});

test('custom resources without a schema: lists are atomic, objects granular, spec gets "." for updaters', () => {
  const crType = typeInfoForKind('example.com/v1', 'Widget');
  const cr = (ports: number[], extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['x'] }, spec: { ports, ...extra } });
  const created = stored(applyConfig({ live: undefined, config: cr([1, 2]), manager: 'a', apiVersion: 'example.com/v1', typeInfo: crType, now: t0 }).object);
  assert.deepEqual(created.metadata?.managedFields?.[0]?.fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } }, 'f:spec': { 'f:ports': {} } });
  const err = conflictOf(() => applyConfig({ live: created, config: cr([3]), manager: 'b', apiVersion: 'example.com/v1', typeInfo: crType, now: t1 }));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "a": .spec.ports');
  const updated = recordUpdate({ old: undefined, updated: cr([1], { size: 2 }), manager: 'kubectl-create', operation: 'Update', apiVersion: 'example.com/v1', now: t0, typeInfo: crType, emptyObject: emptyObjectFor('example.com/v1', 'Widget', false) });
  assert.deepEqual(updated?.[0]?.fieldsV1, { 'f:metadata': { 'f:finalizers': { '.': {}, 'v:"x"': {} } }, 'f:spec': { '.': {}, 'f:ports': {}, 'f:size': {} } });
});
