import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronTab, cronTabSchema } from './fixtures.js';
import { applySchemaDefaults } from './index.js';
import type { JSONSchemaProps } from './schema.js';

describe('applySchemaDefaults', () => {
  it('fills missing properties from defaults, including inside list items', () => {
    const obj = cronTab({ ports: [{ port: 80 }, { port: 443, protocol: 'UDP' }] });
    applySchemaDefaults(obj, cronTabSchema);
    const spec = obj.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.suspend, false);
    assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'UDP' }]);
    assert.equal('status' in obj, false, 'objects without a default are not created');
  });

  it('replaces a null with the default when the field is not nullable, and keeps explicit values', () => {
    const obj = cronTab({ replicas: null, suspend: true });
    applySchemaDefaults(obj, cronTabSchema);
    assert.equal((obj.spec as Record<string, unknown>).replicas, 1);
    assert.equal((obj.spec as Record<string, unknown>).suspend, true);
  });

  it('drops non-nullable nulls without a default and keeps nullable nulls', () => {
    const obj = cronTab({ color: null, note: null });
    applySchemaDefaults(obj, cronTabSchema);
    const spec = obj.spec as Record<string, unknown>;
    assert.equal('color' in spec, false);
    assert.equal(spec.note, null);
  });

  it('defaults nested objects created by a parent default and deep-copies defaults', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: { mode: { type: 'string', default: 'fast' }, list: { type: 'array', items: { type: 'string' }, default: ['a'] } },
        },
      },
    };
    const first: Record<string, unknown> = {};
    const second: Record<string, unknown> = {};
    applySchemaDefaults(first, schema);
    applySchemaDefaults(second, schema);
    assert.deepEqual(first, { spec: { mode: 'fast', list: ['a'] } });
    ((first.spec as Record<string, unknown>).list as string[]).push('b');
    assert.deepEqual((second.spec as Record<string, unknown>).list, ['a']);
  });

  it('defaults null map values and null list items when their schema is not nullable', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        m: { type: 'object', additionalProperties: { type: 'string', default: 'x' } },
        l: { type: 'array', items: { type: 'integer', default: 7 } },
      },
    };
    const obj = { m: { a: null, b: 'keep' }, l: [null, 2] };
    applySchemaDefaults(obj, schema);
    assert.deepEqual(obj, { m: { a: 'x', b: 'keep' }, l: [7, 2] });
  });
});
