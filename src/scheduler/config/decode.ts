// Strict decoding of the configuration's JSON shape, as kube-scheduler's codec does it: a value
// of the wrong type fails the way Go's encoding/json says so, and unknown fields are collected
// into one strict decoding error.
import { parseGoDurationMs } from './duration.js';

export type Schema =
  | { type: 'string' | 'bool' | 'any' | 'duration' }
  | { type: 'int'; goType: 'int32' | 'int64' }
  | { type: 'float'; goType: 'float32' | 'float64' }
  | { type: 'object'; goName: string; fields: Readonly<Record<string, Schema>> }
  | { type: 'array'; items: Schema };

export const str: Schema = { type: 'string' };
export const bool: Schema = { type: 'bool' };
export const any: Schema = { type: 'any' };
export const duration: Schema = { type: 'duration' };
export const int32: Schema = { type: 'int', goType: 'int32' };
export const int64: Schema = { type: 'int', goType: 'int64' };
export const float32: Schema = { type: 'float', goType: 'float32' };
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
export const struct = (goName: string, fields: Record<string, Schema>): Schema => ({ type: 'object', goName, fields });

/** A type error: decoding stops, as encoding/json does. */
export class DecodeError extends Error {}

/** Go's name for a JSON value's kind in "cannot unmarshal X into ...". */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function goTypeName(schema: Schema): string {
  switch (schema.type) {
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'duration': return 'v1.Duration';
    case 'int': case 'float': return schema.goType;
    case 'object': return `v1.${schema.goName}`;
    case 'array': return `[]${goTypeName(schema.items)}`;
    case 'any': return 'interface {}';
  }
}

interface Context {
  /** The Go struct holding the current field and the JSON field path from the root, for type errors. */
  struct: string;
  fieldPath: string[];
  /** JSON path with indices, for unknown-field errors. */
  path: string;
  unknown: string[];
}

function mismatch(value: unknown, schema: Schema, ctx: Context): DecodeError {
  const where = ctx.fieldPath.length > 0 ? `Go struct field ${ctx.struct}.${ctx.fieldPath.join('.')}` : 'Go value';
  return new DecodeError(`json: cannot unmarshal ${jsonKind(value)} into ${where} of type ${goTypeName(schema)}`);
}

const INT_RANGE: Readonly<Record<'int32' | 'int64', [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function check(value: unknown, schema: Schema, ctx: Context): void {
  // null leaves a Go field at its zero value.
  if (value === null || value === undefined || schema.type === 'any') return;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(value, schema, ctx);
      return;
    case 'duration':
      if (typeof value !== 'string') throw mismatch(value, schema, ctx);
      try {
        parseGoDurationMs(value);
      } catch (err) {
        throw new DecodeError((err as Error).message);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') throw mismatch(value, schema, ctx);
      return;
    case 'int': {
      if (typeof value !== 'number') throw mismatch(value, schema, ctx);
      const [min, max] = INT_RANGE[schema.goType];
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new DecodeError(`json: cannot unmarshal number ${value} into Go struct field ${ctx.struct}.${ctx.fieldPath.join('.')} of type ${schema.goType}`);
      }
      return;
    }
    case 'float':
      if (typeof value !== 'number') throw mismatch(value, schema, ctx);
      return;
    case 'array':
      if (!Array.isArray(value)) throw mismatch(value, schema, ctx);
      value.forEach((item, i) => check(item, schema.items, { ...ctx, path: `${ctx.path}[${i}]` }));
      return;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(value, schema, ctx);
      for (const [key, child] of Object.entries(value)) {
        const childPath = ctx.path ? `${ctx.path}.${key}` : key;
        const fieldSchema = schema.fields[key];
        if (!fieldSchema) {
          ctx.unknown.push(`unknown field ${JSON.stringify(childPath)}`);
          continue;
        }
        // Go names the struct holding the field, and the field by its full JSON path.
        check(child, fieldSchema, { ...ctx, struct: schema.goName, fieldPath: [...ctx.fieldPath, key], path: childPath });
      }
      return;
    }
  }
}

/**
 * Checks `value` against `schema`. Throws DecodeError on a type error; answers the unknown-field
 * messages (`unknown field "profiles[0].foo"`), empty when the value is strictly valid.
 */
export function strictCheck(value: unknown, schema: Schema & { type: 'object' }): string[] {
  const ctx: Context = { struct: schema.goName, fieldPath: [], path: '', unknown: [] };
  check(value, schema, ctx);
  return ctx.unknown;
}
