import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import { cronTab, cronTabSchema } from './fixtures.js';
import { applySchemaDefaults, pruneUnknownFields, validateCustomResource } from './index.js';
import type { JSONSchemaProps } from './schema.js';

const messages = (obj: unknown, schema: JSONSchemaProps = cronTabSchema): string[] =>
  validateCustomResource(obj, schema).map(formatFieldError);

describe('validateCustomResource', () => {
  it('accepts a valid CronTab after pruning and defaulting', () => {
    const obj = cronTab({ replicas: 3, color: 'blue', port: 'http', tags: ['a', 'b'], ports: [{ port: 80 }] });
    pruneUnknownFields(obj, cronTabSchema);
    applySchemaDefaults(obj, cronTabSchema);
    assert.deepEqual(messages(obj), []);
  });

  it('reports type mismatches with the JSON type name as the value', () => {
    assert.deepEqual(messages(cronTab({ replicas: 'string' })), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(messages(cronTab({ replicas: 2.5 })), [
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    ]);
    assert.deepEqual(messages(cronTab({ suspend: 'yes' })), [
      'spec.suspend: Invalid value: "string": spec.suspend in body must be of type boolean: "string"',
    ]);
    assert.deepEqual(messages(cronTab({ tags: 'a' })), [
      'spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string"',
    ]);
    assert.deepEqual(messages({ spec: [] }), [
      'spec: Invalid value: "array": spec in body must be of type object: "array"',
    ]);
  });

  it('rejects null unless nullable', () => {
    assert.deepEqual(messages(cronTab({ image: null })), [
      'spec.image: Invalid value: "null": spec.image in body must be of type string: "null"',
    ]);
    assert.deepEqual(messages(cronTab({ note: null })), []);
  });

  it('accepts integers for number fields and both shapes for int-or-string', () => {
    assert.deepEqual(messages(cronTab({ ratio: 0, port: 8080 })), []);
    assert.deepEqual(messages(cronTab({ port: true })), [
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
  });

  it('reports missing required properties', () => {
    const obj = cronTab({});
    delete (obj.spec as Record<string, unknown>).image;
    delete (obj.spec as Record<string, unknown>).cronSpec;
    assert.deepEqual(messages(obj), ['spec.cronSpec: Required value', 'spec.image: Required value']);
  });

  it('reports enum violations with the supported values', () => {
    assert.deepEqual(messages(cronTab({ color: 'purple' })), [
      'spec.color: Unsupported value: "purple": supported values: "red", "blue"',
    ]);
    const numeric: JSONSchemaProps = { type: 'object', properties: { n: { type: 'integer', enum: [1, 2] } } };
    assert.deepEqual(messages({ n: 3 }, numeric), ['n: Unsupported value: 3: supported values: "1", "2"']);
  });

  it('reports numeric bounds, exclusive bounds and multipleOf', () => {
    assert.deepEqual(messages(cronTab({ replicas: 11 })), [
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    ]);
    assert.deepEqual(messages(cronTab({ replicas: 0 })), [
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ]);
    assert.deepEqual(messages(cronTab({ ratio: 1 })), ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
    assert.deepEqual(messages(cronTab({ ratio: -0.5 })), [
      'spec.ratio: Invalid value: -0.5: spec.ratio in body should be greater than or equal to 0',
    ]);
    const big: JSONSchemaProps = { type: 'object', properties: { f: { type: 'number', maximum: 1000000, multipleOf: 0.5 } } };
    assert.deepEqual(messages({ f: 1500000.25 }, big), [
      'f: Invalid value: 1.50000025e+06: f in body should be a multiple of 0.5',
      'f: Invalid value: 1.50000025e+06: f in body should be less than or equal to 1e+06',
    ]);
  });

  it('reports string length and pattern failures (first failing rule only)', () => {
    assert.deepEqual(messages(cronTab({ image: '' })), [
      'spec.image: Invalid value: "": spec.image in body should be at least 1 chars long',
    ]);
    assert.deepEqual(messages(cronTab({ image: 'x'.repeat(65) })), ['spec.image: Too long: may not be more than 64 bytes']);
    assert.deepEqual(messages(cronTab({ cronSpec: 'every minute' })), [
      `spec.cronSpec: Invalid value: "every minute": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`,
    ]);
  });

  it('reports list sizes, duplicates in sets and list-map keys', () => {
    assert.deepEqual(messages(cronTab({ tags: ['a', 'b', 'c', 'd'] })), ['spec.tags: Too many: 4: must have at most 3 items']);
    assert.deepEqual(messages(cronTab({ tags: ['a', 'b', 'a'] })), ['spec.tags[2]: Duplicate value: "a"']);
    assert.deepEqual(messages(cronTab({ ports: [{ port: 80 }, { port: 443 }, { port: 80, protocol: 'UDP' }] })), [
      'spec.ports[2]: Duplicate value: map[string]interface {}{"port":80}',
    ]);
    assert.deepEqual(messages(cronTab({ ports: [{}] })), ['spec.ports[0].port: Required value']);
    const minItems: JSONSchemaProps = { type: 'object', properties: { l: { type: 'array', minItems: 1, items: { type: 'string' } } } };
    assert.deepEqual(messages({ l: [] }, minItems), ['l: Invalid value: 0: l in body should have at least 1 items']);
  });

  it('validates additionalProperties values and property counts', () => {
    assert.deepEqual(messages(cronTab({ labels: { app: 'toolong' } })), ['spec.labels.app: Too long: may not be more than 5 bytes']);
    assert.deepEqual(messages(cronTab({ labels: { a: '1', b: '2', c: '3' } })), ['spec.labels: Too many: 3: must have at most 2 items']);
  });

  it('checks string formats only for supported formats', () => {
    assert.deepEqual(messages(cronTab({ schedule: '2024-02-30T10:00:00Z' })), [
      'spec.schedule: Invalid value: "2024-02-30T10:00:00Z": spec.schedule in body must be of type date-time: "2024-02-30T10:00:00Z"',
    ]);
    assert.deepEqual(messages(cronTab({ schedule: '2024-02-29T10:00:00.5+01:00' })), []);
    const formats: JSONSchemaProps = {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        ip: { type: 'string', format: 'ipv4' },
        custom: { type: 'string', format: 'my-own-format' },
        n: { type: 'integer', format: 'int32' },
      },
    };
    assert.deepEqual(messages({ id: 'nope', ip: '10.0.0.1', custom: 'anything', n: 2 ** 40 }, formats), [
      'id: Invalid value: "nope": id in body must be of type uuid: "nope"',
    ]);
  });

  it('requires apiVersion and kind inside embedded resources', () => {
    assert.deepEqual(messages(cronTab({ template: { metadata: { name: 'x' } } })), [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
  });

  it('reports a root value of the wrong type on the nil path, as upstream does', () => {
    assert.deepEqual(messages(['not', 'an', 'object']), [
      '<nil>: Invalid value: "array":  in body must be of type object: "array"',
    ]);
  });

  it('ignores x-kubernetes-validations (CEL) without failing', () => {
    assert.deepEqual(messages(cronTab({ replicas: 5 })), []);
  });

  it('reports anyOf failures the way apiextensions surfaces them', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { v: { type: 'string', anyOf: [{ maxLength: 1 }, { pattern: '^x' }] } },
    };
    assert.deepEqual(messages({ v: 'ab' }, schema), [
      '<nil>: Invalid value: "": "v" must validate at least one schema (anyOf)',
      'v: Too long: may not be more than 1 byte',
    ]);
    assert.deepEqual(messages({ v: 'xa' }, schema), []);
  });
});

describe('Go number rendering', () => {
  it('matches fmt %v for float64 bounds', async () => {
    const { goFloat } = await import('./go-format.js');
    assert.deepEqual([1e6, 123456, 0.5, 1e-5, 2.5e21, 0.0001].map(goFloat), ['1e+06', '123456', '0.5', '1e-05', '2.5e+21', '0.0001']);
  });
});
