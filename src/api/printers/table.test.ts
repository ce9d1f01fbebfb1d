import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { buildTable, buildWatchEventTable, negotiateTable, parseIncludeObject } from './table.js';
import { printerFor } from './registry.js';

const now = new Date('2024-05-01T12:00:00Z');
const ns = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, resourceVersion: rv, uid: `uid-${name}`, creationTimestamp: '2024-04-30T12:00:00Z', labels: { 'kubernetes.io/metadata.name': name } },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

test('list table: metadata, headers and PartialObjectMetadata rows by default', () => {
  const table = buildTable(printerFor('', 'Namespace'), [ns('default', '10'), ns('kube-system', '11')], {
    includeObject: parseIncludeObject(undefined) ?? 'None',
    now,
    resourceVersion: '42',
    continue: 'tok',
    remainingItemCount: 3,
  });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  assert.deepEqual(table.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0],
    ['Status', 'string', '', 0],
    ['Age', 'string', '', 0],
  ]);
  assert.equal(table.rows.length, 2);
  assert.deepEqual(table.rows[0]?.cells, ['default', 'Active', '24h']);
  assert.deepEqual(table.rows[0]?.object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: ns('default', '10').metadata,
  });
  // JSON shape: every column definition field is present, even empty ones.
  const json = JSON.parse(JSON.stringify(table));
  assert.deepEqual(Object.keys(json.columnDefinitions[1]).sort(), ['description', 'format', 'name', 'priority', 'type']);
});

test('includeObject=Object embeds the full object; None embeds null', () => {
  const full = buildTable(printerFor('', 'Namespace'), [ns('a', '1')], { includeObject: 'Object', now });
  assert.deepEqual(full.rows[0]?.object, ns('a', '1'));
  assert.deepEqual(full.metadata, {});

  const bare = { metadata: { name: 'b', creationTimestamp: '2024-04-30T12:00:00Z' }, status: { phase: 'Active' } } as KubeObject;
  const filled = buildTable(printerFor('', 'Namespace'), [bare], { includeObject: 'Object', now, objectApiVersion: 'v1', objectKind: 'Namespace' });
  assert.deepEqual(Object.keys(filled.rows[0]?.object ?? {}).slice(0, 2), ['apiVersion', 'kind']);
  assert.equal((filled.rows[0]?.object as KubeObject).kind, 'Namespace');

  const none = buildTable(printerFor('', 'Namespace'), [ns('a', '1')], { includeObject: 'None', now });
  assert.equal(none.rows[0]?.object, null);
  assert.ok('object' in JSON.parse(JSON.stringify(none.rows[0])));
});

test('watch events are one-row tables; only the first carries headers', () => {
  const printer = printerFor('', 'Namespace');
  const first = buildWatchEventTable(printer, ns('a', '7'), { includeObject: 'Metadata', now, first: true });
  const later = buildWatchEventTable(printer, ns('a', '8'), { includeObject: 'Metadata', now, first: false });
  assert.equal(first.rows.length, 1);
  assert.equal(first.metadata.resourceVersion, '7');
  assert.ok(Array.isArray(first.columnDefinitions));
  assert.equal(later.columnDefinitions, null);
  assert.equal(later.metadata.resourceVersion, '8');
  assert.deepEqual(later.rows[0]?.cells, ['a', 'Active', '24h']);
});

test('row conditions and printer ordering', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done' },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: { phase: 'Succeeded' },
  } as KubeObject;
  const table = buildTable(printerFor('', 'Pod'), [pod], { includeObject: 'None', now });
  assert.equal(table.rows[0]?.conditions?.[0]?.type, 'Completed');

  const fs = (name: string, p: number): KubeObject => ({ metadata: { name }, spec: { matchingPrecedence: p, priorityLevelConfiguration: { name: 'x' } } });
  const sorted = buildTable(printerFor('flowcontrol.apiserver.k8s.io', 'FlowSchema'), [fs('global-default', 9900), fs('exempt', 1), fs('b', 1000), fs('a', 1000)], { includeObject: 'None', now });
  assert.deepEqual(sorted.rows.map((r) => r.cells[0]), ['exempt', 'a', 'b', 'global-default']);
});

test('unknown kinds get the default NAME / CREATED AT table', () => {
  const table = buildTable(printerFor('example.com', 'Widget'), [{ metadata: { name: 'w', creationTimestamp: '2024-04-30T12:00:00Z' } }], { includeObject: 'None', now });
  assert.deepEqual(table.columnDefinitions?.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
  assert.deepEqual(table.rows[0]?.cells, ['w', '2024-04-30T12:00:00Z']);
});

test('content negotiation helpers', () => {
  assert.equal(negotiateTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json'), 'meta.k8s.io/v1');
  assert.equal(negotiateTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json'), 'meta.k8s.io/v1beta1');
  assert.equal(negotiateTable('application/json'), undefined);
  assert.equal(negotiateTable(undefined), undefined);
  assert.equal(negotiateTable('application/json;as=Table;v=v2;g=meta.k8s.io,application/json'), undefined);
  assert.equal(parseIncludeObject(''), 'Metadata');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.equal(parseIncludeObject('object'), undefined);
});

test('custom resources without printer columns: NAME and an Age date column', async () => {
  const { customResourceDefaultPrinter } = await import('./default.js');
  assert.deepEqual(customResourceDefaultPrinter.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
  assert.deepEqual(customResourceDefaultPrinter.cells({ metadata: { name: 'w', creationTimestamp: '2024-04-30T12:00:00Z' } }, now), ['w', '24h']);
});
