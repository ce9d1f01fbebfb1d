import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { createShape } from './create-memo.js';
import { seededRandom } from './seeded-random.js';
import { FieldSet } from './field-set.js';
import { emptyObjectFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from './index.js';


function create(apiVersion: string, kind: string, body: KubeObject, options: { general?: boolean; manager?: string; at?: Date } = {}): ManagedFieldsEntry[] | undefined {
  const typeInfo = typeInfoForKind(apiVersion, kind);
  return recordUpdate({
    old: undefined,
    updated: body,
    manager: options.manager ?? 'creator',
    operation: 'Update',
    apiVersion,
    now: options.at ?? new Date('2026-11-23T10:00:00Z'),
    typeInfo,
    emptyObject: emptyObjectFor(apiVersion, kind, true, typeInfo),
    // An empty reset set changes nothing but takes the general path, never the memo.
    ...(options.general ? { resetFields: new FieldSet() } : {}),
  });
}

test('creates of one template share fieldsV1 and get their own time; values outside the shape do not matter', () => {
  const pod = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: '2026-11-23T10:00:00Z', labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }], restartPolicy: 'Always' },
  });
  const first = create('v1', 'Pod', pod('a'));
  const second = create('v1', 'Pod', pod('b'), { at: new Date('2026-11-23T11:00:00Z') });
  assert.ok(first && second);
  assert.equal(second[0]!.fieldsV1, first[0]!.fieldsV1, 'the second create re-uses the first one’s fieldsV1');
  assert.equal(first[0]!.time, '2026-11-23T10:00:00Z');
  assert.equal(second[0]!.time, '2026-11-23T11:00:00Z');
  assert.deepEqual(second, create('v1', 'Pod', pod('b'), { general: true, at: new Date('2026-11-23T11:00:00Z') }));
});

test('a different list key, map key or manager is a different shape', () => {
  const base = (containerName: string, label: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { [label]: 'x' } },
    spec: { containers: [{ name: containerName, image: 'busybox' }] },
  });
  const a = create('v1', 'Pod', base('one', 'app'));
  const b = create('v1', 'Pod', base('two', 'app'));
  const c = create('v1', 'Pod', base('one', 'tier'));
  const d = create('v1', 'Pod', base('one', 'app'), { manager: 'other' });
  assert.notDeepEqual(a![0]!.fieldsV1, b![0]!.fieldsV1);
  assert.notDeepEqual(a![0]!.fieldsV1, c![0]!.fieldsV1);
  assert.equal(d![0]!.manager, 'other');
});

test('the memo answers exactly what the general path does, on randomized objects of several kinds', () => {
  const next = seededRandom(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const maybe = (p: number): boolean => next() < p;
  const pod = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${Math.floor(next() * 1e6)}`, ...(maybe(0.5) ? { labels: Object.fromEntries(['a', 'b'].filter(() => maybe(0.5)).map((k) => [k, pick(['1', '2'])])) } : {}) },
    spec: {
      containers: ['c', 'd'].filter((_, i) => i === 0 || maybe(0.3)).map((name) => ({ name, image: pick(['busybox', 'nginx']), ...(maybe(0.4) ? { ports: [{ containerPort: pick([80, 443]) }] } : {}) })),
      ...(maybe(0.3) ? { nodeSelector: { zone: pick(['a', 'b']) } } : {}),
      ...(maybe(0.3) ? { priority: pick([0, 5]) } : {}),
    },
    ...(maybe(0.3) ? { status: {} } : {}),
  });
  const replicaSet = (): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `rs${Math.floor(next() * 1e6)}` },
    spec: { replicas: pick([0, 1, 3]), selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    // The zero ReplicaSet has status.replicas 0: a create setting 0 does not own it, 2 does.
    ...(maybe(0.5) ? { status: { replicas: pick([0, 2]) } } : {}),
  });
  const event = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `e${Math.floor(next() * 1e6)}`, namespace: 'ns' },
    involvedObject: { kind: 'Pod', name: `p${Math.floor(next() * 1e6)}`, namespace: 'ns' },
    reason: 'Scheduled',
    message: `assigned to node-${Math.floor(next() * 100)}`,
    source: maybe(0.5) ? { component: 'default-scheduler' } : {},
    reportingComponent: pick(['', 'default-scheduler']),
    reportingInstance: '',
    type: 'Normal',
  });
  for (let i = 0; i < 300; i++) {
    const [apiVersion, kind, make] = pick([['v1', 'Pod', pod], ['apps/v1', 'ReplicaSet', replicaSet], ['v1', 'Event', event]] as const);
    const body = make();
    const at = new Date(Date.UTC(2026, 10, 23, 10, 0, i));
    const general = create(apiVersion, kind, structuredClone(body), { general: true, at });
    assert.deepEqual(create(apiVersion, kind, body, { at }), general, `object ${i}: ${JSON.stringify(body)}`);
  }
});

test('shapes are unambiguous: a key cannot pass for another key and a value', () => {
  assert.notEqual(createShape({ 'a2:bs': 'x' }, {}), createShape({ a: { bs: 'x' } }, {}));
  assert.notEqual(createShape({ a: ['x'], b: 1 }, {}), createShape({ a: ['x', 'b'] }, {}));
  assert.notEqual(createShape({ s: 0 }, { s: 0 }), createShape({ s: 1 }, { s: 0 }), 'a value equal to the zero object’s is told apart');
  assert.notEqual(createShape({ spec: {} }, { spec: {} }), createShape({ spec: {} }, {}), 'the zero object is part of the shape');
});

test('objects with very large arrays are not remembered, and still get their managedFields', () => {
  const big: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'b' }, binaryData: {} };
  (big as Record<string, unknown>)['extra'] = ['x'.repeat(70 * 1024)];
  assert.equal(createShape(big, {}), undefined);
  const entries = create('v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  assert.deepEqual(entries?.[0]?.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
});
