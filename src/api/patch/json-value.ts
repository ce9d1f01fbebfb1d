// Small helpers shared by the three patch engines: safe key writes, deep equality,
// and Go-flavoured rendering of values, because upstream's error messages print
// decoded JSON with Go's fmt verbs and we want kubectl to see the same text.
import { badRequest } from '../errors.js';
import { isJsonObject, type JsonObject } from '../object.js';

export { isJsonObject, type JsonObject };

/** Deepest nesting any patch engine will walk; deeper documents are rejected instead of overflowing the stack. */
export const MAX_PATCH_NESTING_DEPTH = 1000;

/**
 * Rejects documents nested deeper than MAX_PATCH_NESTING_DEPTH before any recursive code
 * touches them. Walks with an explicit stack so the check itself cannot overflow.
 */
export function assertNestingWithinLimit(value: unknown, what: string): void {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const children = Array.isArray(next.value) ? next.value : isJsonObject(next.value) ? Object.values(next.value) : [];
    if (children.length > 0 && next.depth >= MAX_PATCH_NESTING_DEPTH) {
      throw badRequest(`${what} nests deeper than ${MAX_PATCH_NESTING_DEPTH} levels`);
    }
    for (const child of children) pending.push({ value: child, depth: next.depth + 1 });
  }
}

export function hasKey(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Writes obj[key] = value, treating "__proto__" as an ordinary key rather than the prototype setter. */
export function setKey(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

export function cloneJson<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => hasKey(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The word encoding/json uses for a JSON value in "cannot unmarshal X into ..." errors. */
export function jsonKindWord(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'null';
}

/** The Go type a decoded JSON value has in upstream (ints are preserved as int64). */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value;
}

/** Go's %v of a decoded JSON value: map[a:1 b:[x y]] with sorted keys, <nil> for null. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(value[k])}`).join(' ')}]`;
  }
  return String(value);
}

/** Go's %s: strings verbatim, anything else in Go's "%!s(type=value)" complaint form. */
export function goFormatString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(value)}=${goFormat(value)})`;
}
