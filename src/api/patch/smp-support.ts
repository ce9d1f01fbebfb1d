// Pieces shared by the strategic merge patch files: directive names, the errors
// upstream's strategicpatch/mergepatch packages raise (worded as they are), and
// the clean-up helpers applied to values copied from a patch.
import { goFormat, goFormatString, goTypeName, isJsonObject, setKey, type JsonObject } from './json-value.js';

export const directiveMarker = '$patch';
export const retainKeysDirective = '$retainKeys';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
export const setElementOrderPrefix = '$setElementOrder';

/**
 * How the API server surfaces a failure: 400 for malformed directives, the generic 422
 * for list-of-lists and retainKeys mismatches, and a bare 500 for everything else.
 */
export type SmpErrorClass = 'badRequest' | 'unprocessable' | 'unknown';

export class SmpError extends Error {
  constructor(
    message: string,
    readonly errorClass: SmpErrorClass = 'unknown',
  ) {
    super(message);
    this.name = 'SmpError';
  }
}

export const errBadPatchFormatForPrimitiveList = () => new SmpError('invalid patch format of primitive list', 'badRequest');
export const errBadPatchFormatForRetainKeys = () => new SmpError('invalid patch format of retainKeys', 'badRequest');
export const errBadPatchFormatForSetElementOrderList = () => new SmpError('invalid patch format of setElementOrder list', 'badRequest');
export const errNoListOfLists = () => new SmpError('lists of lists are not supported', 'unprocessable');

export function errNoMergeKey(item: unknown, mergeKey: string): SmpError {
  return new SmpError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
}

/** mergepatch.ErrBadArgType: what was expected is a Go type name; what arrived is printed by its Go type. */
export function errBadArgType(expected: 'map' | 'list', actual: unknown): SmpError {
  const expectedType = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  const actualType = actual === null || actual === undefined ? '%!s(<nil>)' : goTypeName(actual);
  return new SmpError(`expected a ${expectedType}, but received a ${actualType}`);
}

export function errBadPatchType(directive: unknown, patch: JsonObject): SmpError {
  return new SmpError(`unknown patch type: ${goFormatString(directive)} in map: ${goFormat(patch)}`);
}

/** "$setElementOrder/containers" -> "containers"; anything else is a malformed directive. */
export function extractDirectiveKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === deleteFromPrimitiveListPrefix) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

export function isDirectiveKey(key: string): boolean {
  return (
    key === directiveMarker ||
    key === retainKeysDirective ||
    key.startsWith(`${setElementOrderPrefix}/`) ||
    key.startsWith(`${deleteFromPrimitiveListPrefix}/`)
  );
}

/**
 * Upstream's removeDirectives, used when a patch value is taken wholesale: any map that
 * carries "$patch" vanishes (from its parent map or list), everything else is kept.
 * Returns undefined when the value itself must be dropped. Mutates its argument.
 */
export function removeDirectives(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(removeDirectives).filter((item) => item !== undefined);
  }
  if (!isJsonObject(value)) return value;
  if (Object.prototype.hasOwnProperty.call(value, directiveMarker)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const kept = removeDirectives(item);
    if (kept === undefined) delete value[key];
    else setKey(value, key, kept);
  }
  return value;
}

/** Upstream's discardNullValuesFromPatch: nulls inside a value taken wholesale mean "absent". Mutates. */
export function discardNullValues(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) discardNullValues(item);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (item === null) delete value[key];
      else discardNullValues(item);
    }
  }
}

/**
 * Upstream converts the merged map back into a Go struct, which silently drops directive
 * keys that survived the merge (for example inside a brand-new list element). We store
 * JSON as-is, so we drop them explicitly. Mutates.
 */
export function stripLeftoverDirectives(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripLeftoverDirectives(item);
  } else if (isJsonObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isDirectiveKey(key)) delete value[key];
      else stripLeftoverDirectives(item);
    }
  }
}
