import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPlainJson, spliceResourceVersion } from './written-value.js';

/** What the watch cache did before the splice: parse, set metadata.resourceVersion, serialise. */
function slowJson(value: string, resourceVersion: string): string {
  const object = JSON.parse(value) as { metadata?: object };
  object.metadata = { ...(object.metadata ?? {}), resourceVersion };
  return JSON.stringify(object);
}

const shapes: Record<string, unknown> = {
  'a pod': {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'x' }, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } }] },
    spec: { containers: [{ name: 'c', image: 'i', args: ['a', '', 'b'] }] },
  },
  'empty metadata': { kind: 'X', metadata: {} },
  'metadata first': { metadata: { name: 'n' }, kind: 'X' },
  'metadata last, after a nested metadata': { spec: { template: { metadata: { labels: { a: 'b' } } } }, metadata: { name: 'n' } },
  'strings with quotes, backslashes and brackets': {
    kind: 'ConfigMap',
    metadata: { name: 'n', annotations: { 'a"}': 'x\\', b: '\\"}]{[', c: '\\\\', d: 'é ☃ \u0001 \ud83d\ude00' } },
    data: { e: '"metadata":{}' },
  },
  'numbers, booleans and null': { metadata: { generation: 12, deletionGracePeriodSeconds: 0, x: null, y: true, z: -1.5e-7 }, spec: { n: 1e21 } },
  'arrays of arrays in metadata': { metadata: { finalizers: ['a', 'b'], list: [[], [[1]], [{}]] } },
};

for (const [name, object] of Object.entries(shapes)) {
  test(`spliceResourceVersion: ${name} gets the same bytes as parsing and re-serialising`, () => {
    const value = JSON.stringify(object);
    assert.equal(spliceResourceVersion(value, '4711'), slowJson(value, '4711'));
  });
}

test('spliceResourceVersion: declines values where splicing at the end of metadata would differ', () => {
  // A resourceVersion already stored keeps its place in the slow path.
  assert.equal(spliceResourceVersion(JSON.stringify({ metadata: { resourceVersion: '1', name: 'n' } }), '2'), undefined);
  // No metadata, or metadata that is not an object, is replaced or appended by the slow path.
  assert.equal(spliceResourceVersion(JSON.stringify({ kind: 'X' }), '2'), undefined);
  assert.equal(spliceResourceVersion(JSON.stringify({ kind: 'X', metadata: null }), '2'), undefined);
  assert.equal(spliceResourceVersion(JSON.stringify({ kind: 'X', metadata: ['a'] }), '2'), undefined);
  assert.equal(spliceResourceVersion(JSON.stringify({ kind: 'X', metadata: 'm' }), '2'), undefined);
  // Not an object at all, or not compact JSON.
  assert.equal(spliceResourceVersion('[]', '2'), undefined);
  assert.equal(spliceResourceVersion('{ "metadata": {} }', '2'), undefined);
  assert.equal(spliceResourceVersion('{"metadata":{"name":"n"', '2'), undefined);
});

test('isPlainJson: accepts what JSON round-trips unchanged', () => {
  for (const object of Object.values(shapes)) assert.equal(isPlainJson(object), true);
  assert.equal(isPlainJson(JSON.parse('{"__proto__":{"a":1}}')), true);
});

test('isPlainJson: rejects anything JSON.stringify would drop or change', () => {
  class Point {
    x = 1;
  }
  const sparse: unknown[] = [];
  sparse[2] = 'x';
  const rejected: unknown[] = [
    { a: undefined },
    { a: [1, undefined] },
    { a: () => 1 },
    { a: Symbol('s') },
    { a: NaN },
    { a: Infinity },
    { a: -0 },
    { a: 10n },
    { a: new Date(0) },
    { a: new Point() },
    { a: sparse },
    { a: Object.create(null) },
    { a: { b: { c: [{ d: undefined }] } } },
  ];
  rejected.forEach((object, i) => assert.equal(isPlainJson(object), false, `case ${i}`));
});
