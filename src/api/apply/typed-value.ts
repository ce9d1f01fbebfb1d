// Reading values through their TypeInfo: which path element names a list item, and what an
// untyped value turns out to be. Shared by field-set extraction, comparison, merge and pruning.
import { isJsonObject, jsonEqual } from '../object.js';
import { canonicalJson, indexElement, keyElement, pathToString, valueElement, type Path, type PathElement } from './path.js';
import { listType, scalarType, untypedType, type ListTypeInfo, type StructType, type TypeInfo } from './type-info.js';

/** A value that does not fit its type (missing list key, duplicate item). Upstream fails the request. */
export class ApplyTypeError extends Error {
  constructor(path: Path, message: string) {
    super(`${pathToString(path)}: ${message}`);
    this.name = 'ApplyTypeError';
  }
}

const untypedStruct: StructType = { kind: 'struct', atomic: false, field: () => untypedType };
const untypedList = listType('atomic', untypedType);

/** Untyped values take their shape from the data: objects are structs, lists atomic. */
export function resolveType(type: TypeInfo, value: unknown): TypeInfo {
  if (type.kind !== 'untyped') return type;
  if (Array.isArray(value)) return untypedList;
  if (isJsonObject(value)) return untypedStruct;
  return scalarType;
}

export type Container = { kind: 'struct' | 'map'; atomic: boolean; childType(name: string): TypeInfo; declared(name: string): boolean };

/** Struct and map values, seen uniformly: children are fields or entries. */
export function asContainer(type: TypeInfo): Container | undefined {
  if (type.kind === 'struct') {
    return {
      kind: 'struct',
      atomic: type.atomic,
      childType: (name) => type.field(name) ?? untypedType,
      declared: (name) => type.field(name) !== undefined || type === untypedStruct,
    };
  }
  if (type.kind === 'map') {
    return { kind: 'map', atomic: type.atomic, childType: () => type.values(), declared: () => false };
  }
  return undefined;
}

/**
 * The element naming a list item: its key fields for map lists, its value for sets. Items that
 * cannot be keyed fall back to their index when `strict` is off (live objects upstream tolerates).
 */
export function itemElement(list: ListTypeInfo, item: unknown, index: number, path: Path, strict: boolean): PathElement {
  if (list.listType === 'set') return valueElement(item);
  if (list.listType === 'map') {
    // ("__proto__" as a key field would not survive the general way's key object: keep its result.)
    if (list.keys.length === 1 && list.keys[0] !== '__proto__') return singleKeyElement(list, list.keys[0]!, item, index, path, strict);
    const key: Record<string, unknown> = {};
    for (const name of list.keys) {
      const value = isJsonObject(item) ? item[name] : undefined;
      if (value !== undefined && value !== null) key[name] = value;
      else if (list.keyDefaults[name] !== undefined) key[name] = list.keyDefaults[name];
      else if (strict) {
        throw new ApplyTypeError(path, `element ${index}: associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`);
      } else return indexElement(index);
    }
    return keyElement(key);
  }
  return indexElement(index);
}

/** itemElement of a list keyed by one field (name, type, ip...): no key object to build and sort. */
function singleKeyElement(list: ListTypeInfo, name: string, item: unknown, index: number, path: Path, strict: boolean): PathElement {
  let value = isJsonObject(item) ? item[name] : undefined;
  if (value === undefined || value === null) value = list.keyDefaults[name];
  if (value !== undefined) return `k:{${JSON.stringify(name)}:${canonicalJson(value)}}`;
  if (strict) {
    throw new ApplyTypeError(path, `element ${index}: associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`);
  }
  return indexElement(index);
}

/** The items of a granular list by element, first occurrence winning; duplicates fail when strict. */
export function indexItems(list: ListTypeInfo, items: readonly unknown[], path: Path, strict: boolean): Map<PathElement, unknown> {
  const out = new Map<PathElement, unknown>();
  items.forEach((item, i) => {
    const element = itemElement(list, item, i, path, strict);
    if (out.has(element)) {
      if (strict) throw new ApplyTypeError(path, `duplicate entries for key ${pathToString([element])}`);
      return;
    }
    out.set(element, item);
  });
  return out;
}

export function isEmptyContainer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Structural equality of JSON values (one implementation for the whole project). */
export const deepEqual = jsonEqual;
