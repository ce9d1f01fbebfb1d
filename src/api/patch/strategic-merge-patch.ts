// Strategic merge patch as the v1.32 API server applies it (strategicpatch.StrategicMergeMapPatch
// with MergeParallelList and IgnoreUnmatchedNulls): like a JSON merge patch, except that
// lists tagged patchStrategy=merge are merged element by element, and "$"-directives in
// the patch delete, replace, retain or reorder parts of the live object.
import { badRequest, type StatusError } from '../errors.js';
import { assertNestingWithinLimit, cloneJson, hasKey, isJsonObject, jsonKindWord, setKey, type JsonObject } from './json-value.js';
import { PatchRejectedError, unknownPatchError } from './patch-errors.js';
import { lookupField, mergingStrategy, type PatchField, type PatchSchema } from './patch-schema.js';
import { checkPatchAgainstOrder, mergeList, orderMergedList, sliceElementKind } from './smp-lists.js';
import {
  SmpError,
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  discardNullValues,
  errBadArgType,
  errBadPatchFormatForRetainKeys,
  errBadPatchType,
  extractDirectiveKey,
  removeDirectives,
  retainKeysDirective,
  setElementOrderPrefix,
  stripLeftoverDirectives,
} from './smp-support.js';

/**
 * Applies a strategic merge patch to a copy of `doc` (neither input is mutated).
 * `schema` is the patch metadata of the object's kind (see patchSchemaFor).
 * Failures are StatusErrors carrying the HTTP answer upstream gives for them.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (patch === null || patch === undefined) return cloneJson(doc); // a JSON null decodes to an empty patch
  if (!isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  assertNestingWithinLimit(doc, 'the object');
  assertNestingWithinLimit(patch, 'the patch');
  const original = isJsonObject(doc) ? cloneJson(doc) : {};
  try {
    const merged = mergeMap(original, cloneJson(patch), schema);
    stripLeftoverDirectives(merged);
    return merged;
  } catch (err) {
    if (err instanceof SmpError) throw toStatusError(err);
    throw err;
  }
}

/** Mirrors upstream's interpretStrategicMergePatchError. */
function toStatusError(err: SmpError): StatusError {
  switch (err.errorClass) {
    case 'badRequest':
      return badRequest(err.message);
    case 'unprocessable':
      return new PatchRejectedError(err.message);
    default:
      return unknownPatchError(err.message);
  }
}

/** Merges `patch` into `original` (which it may mutate, as may it `patch`) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined): JsonObject {
  if (hasKey(patch, directiveMarker)) return applyMapDirective(patch[directiveMarker], patch);

  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    const isDeleteList = patchKey.startsWith(deleteFromPrimitiveListPrefix);
    if (isDeleteList) key = extractDirectiveKey(patchKey, deleteFromPrimitiveListPrefix);

    // null deletes the key; a null for a key the object lacks is simply ignored.
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = original[key];
    const bothMaps = isJsonObject(current) && isJsonObject(patchValue);
    const bothLists = Array.isArray(current) && Array.isArray(patchValue);
    if (!hasKey(original, key) || !(bothMaps || bothLists)) {
      // Nothing to merge with (absent, or a different type): take the patch value, cleaned.
      // A deletion list never becomes a value of its own.
      if (!isDeleteList) takePatchValue(original, key, patchValue);
      continue;
    }
    const field = lookupField(schema, key);
    if (bothMaps) {
      setKey(original, key, mergingStrategy(field) === 'replace' ? patchValue : mergeMap(current, patchValue, field.schema));
    } else {
      setKey(original, key, mergeListField(current as unknown[], patchValue as unknown[], field, isDeleteList));
    }
  }
  return original;
}

function takePatchValue(target: JsonObject, key: string, value: unknown): void {
  discardNullValues(value);
  const kept = removeDirectives(value);
  if (kept === undefined) delete target[key];
  else setKey(target, key, kept);
}

/** `$patch` on a map: replace it with the rest of the patch map, or delete its contents. */
function applyMapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** `$retainKeys: [...]`: live keys not listed are cleared; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasKey(patch, retainKeysDirective)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set<unknown>(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!retained.has(key)) throw errBadPatchFormatForRetainKeys();
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

/** A list field: merged when tagged merge (or for a deletion list), otherwise replaced by the patch list. */
function mergeListField(original: unknown[], patch: unknown[], field: PatchField, isDeleteList: boolean): unknown[] {
  if (mergingStrategy(field) !== 'merge' && !isDeleteList) return patch;
  return mergeList(original, patch, field.schema, field.mergeKey ?? '', isDeleteList, mergeMap);
}

/**
 * `$setElementOrder/<field>: [...]` (sent by kubectl apply): merge the field's patch list as
 * usual, then order the result by the given list, keeping server-only items near their
 * live neighbours. The field's patch list is consumed here.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(setElementOrderPrefix)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw errBadArgType('list', order);
    const key = extractDirectiveKey(directiveKey, setElementOrderPrefix);

    const foundOriginal = hasKey(original, key);
    const foundPatch = hasKey(patch, key);
    const originalList = foundOriginal ? original[key] : [];
    const patchList = foundPatch ? patch[key] : [];
    if (!Array.isArray(originalList)) throw errBadArgType('list', originalList);
    if (!Array.isArray(patchList)) throw errBadArgType('list', patchList);

    const field = lookupField(schema, key);
    const mergeKey = field.mergeKey ?? '';
    checkPatchAgainstOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, field, false);
    else if (foundOriginal) merged = originalList;
    else if (foundPatch) merged = removeDirectives(patchList) as unknown[];
    else continue;

    // k8ts deviation: upstream errors ("no elements in any of the given slices") when both
    // lists are empty; that only happens for stored empty lists, which Go never keeps.
    const kind = sliceElementKind(originalList, patchList);
    const ordered = kind === undefined ? merged : orderMergedList(merged, order, originalList, mergeKey, kind);
    setKey(original, key, ordered);
    delete patch[key];
  }
}
