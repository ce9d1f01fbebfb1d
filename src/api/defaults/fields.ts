// Small helpers for defaulting plain-JSON objects the way upstream's Go defaulters do.
// Go distinguishes "nil pointer" from "zero value"; on the wire both usually arrive as an
// absent key (or null), so each helper names which Go notion of "unset" it mirrors.
import { isJsonObject, type JsonObject } from '../object.js';

export type { JsonObject };

/** True for an absent key or an explicit JSON null: Go's nil pointer / nil slice / nil map. */
export function isNil(value: unknown): boolean {
  return value === undefined || value === null;
}

/** True when a Go value would be its zero value: nil, "", 0 or false. */
export function isZero(value: unknown): boolean {
  return isNil(value) || value === '' || value === 0 || value === false;
}

/** For optional (pointer) fields: set only when the field is nil. */
export function setIfNil(obj: JsonObject, key: string, value: unknown): void {
  if (isNil(obj[key])) obj[key] = value;
}

/** For non-pointer string/int fields: set when the field holds Go's zero value. */
export function setIfZero(obj: JsonObject, key: string, value: unknown): void {
  if (isZero(obj[key])) obj[key] = value;
}

/** The nested object at obj[key], or undefined when it is absent or not an object. */
export function childObject(obj: JsonObject, key: string): JsonObject | undefined {
  const value = obj[key];
  return isJsonObject(value) ? value : undefined;
}

/**
 * The nested object at obj[key], created empty when missing. Mirrors Go code that writes
 * into a non-pointer struct field (e.g. Spec, Status), which always exists in Go.
 */
export function ensureObject(obj: JsonObject, key: string): JsonObject {
  const value = obj[key];
  if (isJsonObject(value)) return value;
  const created: JsonObject = {};
  obj[key] = created;
  return created;
}

/** The object elements of the array at obj[key]; non-objects are skipped (validation reports them). */
export function objectItems(obj: JsonObject | undefined, key: string): JsonObject[] {
  if (!obj) return [];
  const value = obj[key];
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject);
}

/** Number of entries in a map-valued field; Go's len(map) treats nil as 0. */
export function mapSize(value: unknown): number {
  return isJsonObject(value) ? Object.keys(value).length : 0;
}

/** Number of elements in a list-valued field; Go's len(slice) treats nil as 0. */
export function listSize(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** String map (labels, selectors) or an empty one. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The object itself, viewed as a JsonObject (KubeObject is structurally one). */
export function asJson(obj: object): JsonObject {
  return obj as JsonObject;
}
