import assert from 'node:assert/strict';
import { test } from 'node:test';
import { negotiate } from './output.js';

test('negotiate answers a repeated Accept header the same, and a Table by the query each time', () => {
  const none = new URLSearchParams();
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(negotiate('application/json', none), { kind: 'json' });
    assert.deepEqual(negotiate('application/yaml', none), { kind: 'yaml' });
    assert.deepEqual(negotiate('application/vnd.kubernetes.protobuf, */*', none), { kind: 'json' });
    assert.throws(() => negotiate('text/html', none), /only the following media types are accepted/);
  }
  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiate(table, none), { kind: 'table', includeObject: 'Metadata' });
  assert.deepEqual(negotiate(table, new URLSearchParams('includeObject=Object')), { kind: 'table', includeObject: 'Object' });
  assert.throws(() => negotiate(table, new URLSearchParams('includeObject=Bogus')), /includeObject: Unsupported value/);
});

test('negotiate hands out answers a caller may change without affecting the next request', () => {
  const first = negotiate('application/json', new URLSearchParams()) as { kind: string };
  first.kind = 'yaml';
  assert.deepEqual(negotiate('application/json', new URLSearchParams()), { kind: 'json' });
});
