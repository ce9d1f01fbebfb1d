import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronTab, cronTabSchema } from './fixtures.js';
import { pruneUnknownFields } from './index.js';

describe('pruneUnknownFields', () => {
  it('drops undeclared fields and reports their paths, keeping root apiVersion/kind/metadata', () => {
    const obj = cronTab({ colour: 'red', ports: [{ port: 80, bogus: 1 }] }, { extraRoot: true });
    (obj.metadata as Record<string, unknown>).whatever = 'metadata is coerced elsewhere';
    const pruned = pruneUnknownFields(obj, cronTabSchema);
    assert.deepEqual(pruned.sort(), ['extraRoot', 'spec.colour', 'spec.ports[0].bogus']);
    assert.equal(obj.apiVersion, 'stable.example.com/v1');
    assert.equal(obj.kind, 'CronTab');
    assert.equal((obj.metadata as Record<string, unknown>).whatever, 'metadata is coerced elsewhere');
    assert.deepEqual((obj.spec as Record<string, unknown>).ports, [{ port: 80 }]);
  });

  it('keeps everything under x-kubernetes-preserve-unknown-fields but still prunes declared children', () => {
    const obj = cronTab({ extra: { anything: { deep: 1 }, strict: { keep: 'x', drop: 'y' } } });
    assert.deepEqual(pruneUnknownFields(obj, cronTabSchema), ['spec.extra.strict.drop']);
    assert.deepEqual((obj.spec as Record<string, unknown>).extra, { anything: { deep: 1 }, strict: { keep: 'x' } });
  });

  it('keeps an embedded resource whole (apiVersion, kind, metadata and preserved fields)', () => {
    const template = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    const obj = cronTab({ template: structuredClone(template) });
    assert.deepEqual(pruneUnknownFields(obj, cronTabSchema), []);
    assert.deepEqual((obj.spec as Record<string, unknown>).template, template);
  });

  it('prunes apiVersion/kind/metadata inside a nested object that is not embedded', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } };
    const obj = { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { a: 'ok', kind: 'nope', metadata: {} } };
    assert.deepEqual(pruneUnknownFields(obj, schema).sort(), ['spec.kind', 'spec.metadata']);
  });

  it('walks additionalProperties maps and arrays of maps', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          additionalProperties: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
    };
    const obj = { spec: { first: [{ n: 1, x: 2 }], second: [{ y: 3 }] } };
    assert.deepEqual(pruneUnknownFields(obj, schema), ['spec.first[0].x', 'spec.second[0].y']);
    assert.deepEqual(obj.spec, { first: [{ n: 1 }], second: [{}] });
  });

  it('leaves int-or-string scalars alone and treats a missing schema as declaring nothing', () => {
    const obj = cronTab({ port: 'http' });
    assert.deepEqual(pruneUnknownFields(obj, cronTabSchema), []);
    const bare = { apiVersion: 'a/v1', kind: 'K', metadata: {}, spec: { a: 1 } };
    assert.deepEqual(pruneUnknownFields(bare, undefined), ['spec']);
  });
});
