// The field errors upstream reports for kube-openapi schema failures. kube-openapi words each
// failure as "<name> in body <text>"; apiextensions then maps it onto a field error by kind
// (required → Required value, enum → Unsupported value, maxLength → Too long, maxItems and
// maxProperties → Too many, type/format → Invalid value of the type name, else Invalid value).
import type { FieldError } from '../field-errors.js';
import { canonicalJson } from './schema.js';
import { withGoValue } from './go-format.js';

/**
 * The field path of a kube-openapi error name. Nested names may start with "." (a property
 * of the root), which upstream trims; an empty name maps to a nil path, printed "<nil>".
 */
export function fieldOf(name: string): string {
  if (name === '' || name === '.') return '<nil>';
  return name.startsWith('.') ? name.slice(1) : name;
}

/** The kube-openapi name of a child: "spec.replicas", or "spec" at the root. */
export const childName = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

export const inBody = (name: string, text: string): string => `${name} in body ${text}`;

export function typeInvalid(name: string, typeName: string, actual: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: fieldOf(name), value: actual, detail: inBody(name, `must be of type ${typeName}: ${JSON.stringify(actual)}`) };
}

export function requiredProperty(name: string): FieldError {
  return { type: 'FieldValueRequired', field: fieldOf(name) };
}

export function enumFailure(name: string, value: unknown, allowed: readonly unknown[]): FieldError {
  const supported = allowed.map((v) => (typeof v === 'string' ? v : canonicalJson(v)));
  const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
  return withGoValue({ type: 'FieldValueNotSupported', field: fieldOf(name), value, ...(detail ? { detail } : {}) });
}

export function tooLongString(name: string, maxLength: number): FieldError {
  const unit = maxLength === 1 ? 'byte' : 'bytes';
  return { type: 'FieldValueTooLong', field: fieldOf(name), value: '', detail: `may not be more than ${maxLength} ${unit}`, omitValue: true };
}

export function tooManyEntries(name: string, actual: number, max: number): FieldError {
  const unit = max === 1 ? 'item' : 'items';
  return { type: 'FieldValueTooMany', field: fieldOf(name), value: actual, detail: `must have at most ${max} ${unit}` };
}

/** Every other kube-openapi failure: Invalid value with the failing value and its message. */
export function invalidInBody(name: string, value: unknown, text: string): FieldError {
  return withGoValue({ type: 'FieldValueInvalid', field: fieldOf(name), value: value ?? '', detail: inBody(name, text) });
}

/**
 * Failures kube-openapi raises as plain errors (allOf/anyOf/oneOf/not). apiextensions cannot
 * place them, so they land on the nil root path with an empty value.
 */
export function compositeFailure(name: string, text: string): FieldError {
  return { type: 'FieldValueInvalid', field: '<nil>', value: '', detail: `${JSON.stringify(name)} ${text}` };
}
