// RFC 7386 JSON Merge Patch: objects merge key by key, null deletes, anything else replaces.
import { badRequest } from '../errors.js';
import { assertNestingWithinLimit, cloneJson, isJsonObject, jsonKindWord, setKey, type JsonObject } from './json-value.js';

/** Pure RFC 7386 merge; neither argument is mutated. A non-object patch replaces the document. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  assertNestingWithinLimit(doc, 'the object');
  assertNestingWithinLimit(patch, 'the patch');
  // One copy of the document up front; the merge then edits that copy in place.
  return mergeInto(cloneJson(doc), patch);
}

/**
 * Merge patch as the API server accepts it for an object: the body must be a JSON object
 * (upstream's decode complains otherwise) and a literal null is "Invalid JSON Patch".
 */
export function applyMergePatchToObject(doc: unknown, patch: unknown): unknown {
  if (patch === null || patch === undefined) throw badRequest('Invalid JSON Patch');
  if (!isJsonObject(patch)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindWord(patch)} into Go value of type map[string]interface {}`);
  }
  return applyMergePatch(doc, patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return withoutNulls(cloneJson(patch));
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setKey(result, key, mergeInto(result[key], value));
    }
  }
  return result;
}

/** Nulls inside a newly added value mean "absent", so they are dropped (objects nested in arrays too). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isJsonObject(item) ? withoutNulls(item) : item));
  if (!isJsonObject(value)) return value;
  for (const [key, item] of Object.entries(value)) {
    if (item === null) delete value[key];
    else withoutNulls(item);
  }
  return value;
}
