// Field-level validation errors, formatted as upstream's k8s.io/apimachinery/pkg/util/validation/field.
// A path is written the way upstream prints it: spec.containers[0].name, metadata.labels[app].

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, when upstream prints it. */
  value?: unknown;
  detail?: string;
  /** Set when upstream prints no value (field.Invalid with omitted value). */
  omitValue?: boolean;
}

/** Builds field paths: new FieldPath('spec').child('containers').index(0).child('name'). */
export class FieldPath {
  constructor(private readonly text: string) {}
  child(...names: string[]): FieldPath {
    let out = this.text;
    for (const name of names) out = out === '' ? name : `${out}.${name}`;
    return new FieldPath(out);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

export const rootPath = (name = ''): FieldPath => new FieldPath(name);

type PathLike = FieldPath | string;
const p = (path: PathLike): string => path.toString();

export const required = (path: PathLike, detail?: string): FieldError => ({ type: 'FieldValueRequired', field: p(path), ...(detail ? { detail } : {}) });
export const invalid = (path: PathLike, value: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field: p(path), value, ...(detail ? { detail } : {}) });
export const notSupported = (path: PathLike, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field: p(path),
  value,
  detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined,
});
export const duplicate = (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: p(path), value });
export const forbidden = (path: PathLike, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: p(path), detail });
export const notFound = (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: p(path), value });
export const tooLong = (path: PathLike, value: unknown, maxLength: number): FieldError => ({
  type: 'FieldValueTooLong',
  field: p(path),
  value,
  detail: `may not be more than ${maxLength} bytes`,
  omitValue: true,
});
export const tooMany = (path: PathLike, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field: p(path),
  value: actual,
  detail: `must have at most ${max} items`,
  omitValue: true,
});
export const internalError = (path: PathLike, detail: string): FieldError => ({ type: 'InternalError', field: p(path), detail });

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Upstream prints values with Go's %#v-ish rules: strings quoted, numbers and booleans bare. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** "Required value", "Invalid value: \"x\": detail", ... without the field path. */
export function errorBody(e: FieldError): string {
  const head = typeText[e.type];
  const valueless = e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'InternalError' || e.omitValue;
  const parts = [head];
  if (!valueless && 'value' in e) parts.push(formatValue(e.value));
  if (e.detail) parts.push(e.detail);
  return parts.join(': ');
}

/** "spec.replicas: Invalid value: -1: must be greater than or equal to 0" */
export function formatFieldError(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

/** Joins a list the way upstream's aggregate error does: one bare, several in [a, b]. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  if (errors.length === 1) return formatFieldError(errors[0]!);
  return `[${errors.map(formatFieldError).join(', ')}]`;
}
