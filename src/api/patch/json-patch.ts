// RFC 6902 JSON Patch, with the behaviour of the library the v1.32 API server uses
// (evanphx/json-patch v4): negative array indices count from the end, "-" appends,
// and a failing operation aborts the whole patch with upstream's generic 422.
import { badRequest, requestEntityTooLarge } from '../errors.js';
import { assertNestingWithinLimit, cloneJson, hasKey, isJsonObject, jsonEqual, jsonKindWord, setKey, type JsonObject } from './json-value.js';
import { PatchRejectedError } from './patch-errors.js';

/** Upstream's maxJSONPatchOperations: longer patches are refused with 413. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

export interface JsonPatchOperation {
  op?: string;
  path?: string;
  from?: string;
  value?: unknown;
}

/** Applies `operations` to a copy of `doc`; the inputs are never mutated. */
export function applyJsonPatch(doc: unknown, operations: unknown): unknown {
  assertNestingWithinLimit(doc, 'the object');
  assertNestingWithinLimit(operations, 'the patch');
  const ops = decodeOperations(operations);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  // Wrapping the document lets every operation address a parent container, even at the root.
  const root: JsonObject = {};
  setKey(root, 'doc', cloneJson(doc));
  for (const op of ops) applyOperation(root, op);
  return root['doc'];
}

/** Shape checks upstream's strict decode into []jsonPatchOp performs, with its 400 messages. */
function decodeOperations(operations: unknown): (JsonPatchOperation | null)[] {
  if (operations === null || operations === undefined) return [];
  if (!Array.isArray(operations)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindWord(operations)} into Go value of type []handlers.jsonPatchOp`);
  }
  return operations.map((item: unknown) => {
    if (item === null) return null;
    if (!isJsonObject(item)) {
      throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindWord(item)} into Go value of type handlers.jsonPatchOp`);
    }
    for (const field of ['op', 'path', 'from'] as const) {
      const v = item[field];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKindWord(v)} into Go struct field jsonPatchOp.${field} of type string`);
      }
    }
    return item as JsonPatchOperation;
  });
}

function reject(detail: string): never {
  throw new PatchRejectedError(detail);
}

/** "/a/b~1c" -> ["a", "b/c"]; the empty pointer addresses the whole document. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) reject(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

/** Parent container and final token of a path, walking from the wrapper's "doc" key. */
function locate(root: JsonObject, pointer: string, opName: string): { parent: Container; key: string } {
  const tokens = ['doc', ...parsePointer(pointer)];
  let current: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    const next = readChild(current, token);
    if (next === undefined) reject(`${opName} operation does not apply: doc is missing path: ${pointer}`);
    current = next;
  }
  if (!isJsonObject(current) && !Array.isArray(current)) reject(`${opName} operation does not apply: doc is missing path: ${pointer}`);
  return { parent: current, key: tokens[tokens.length - 1] ?? '' };
}

/** Array index as the v4 library reads it: decimal (optionally signed) and negative counting from the end. */
function arrayIndex(token: string, length: number): number | undefined {
  if (!/^[+-]?\d+$/.test(token)) return undefined;
  let idx = Number(token);
  if (idx < 0) idx += length;
  return idx >= 0 && idx < length ? idx : undefined;
}

function readChild(container: unknown, token: string): unknown {
  if (isJsonObject(container)) return hasKey(container, token) ? container[token] : undefined;
  if (Array.isArray(container)) {
    const idx = arrayIndex(token, container.length);
    return idx === undefined ? undefined : container[idx];
  }
  return undefined;
}

function addAt(parent: Container, key: string, value: unknown, pointer: string): void {
  if (!Array.isArray(parent)) {
    setKey(parent, key, value);
    return;
  }
  if (key === '-') {
    parent.push(value);
    return;
  }
  // Inserting may target one past the end, so the index range is length + 1.
  const idx = arrayIndex(key, parent.length + 1);
  if (idx === undefined) reject(`Unable to access invalid index: ${key} (add ${pointer})`);
  parent.splice(idx, 0, value);
}

function removeAt(parent: Container, key: string, pointer: string): unknown {
  if (Array.isArray(parent)) {
    const idx = arrayIndex(key, parent.length);
    if (idx === undefined) reject(`Unable to access invalid index: ${key} (remove ${pointer})`);
    return parent.splice(idx, 1)[0];
  }
  if (!hasKey(parent, key)) reject(`Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function operationValue(op: JsonPatchOperation): unknown {
  return op.value === undefined ? null : cloneJson(op.value);
}

function requirePath(op: JsonPatchOperation, field: 'path' | 'from'): string {
  const value = op[field];
  if (typeof value !== 'string') reject(`operation missing ${field} field`);
  return value;
}

function applyOperation(root: JsonObject, op: JsonPatchOperation | null): void {
  const kind = op?.op ?? 'unknown';
  if (!op) reject('Unexpected kind: unknown');
  switch (kind) {
    case 'add': {
      const path = requirePath(op, 'path');
      if (path === '') reject('add operation does not apply: doc is missing path: ');
      const { parent, key } = locate(root, path, 'add');
      addAt(parent, key, operationValue(op), path);
      return;
    }
    case 'remove': {
      const path = requirePath(op, 'path');
      if (path === '') reject('remove operation does not apply: doc is missing path: ');
      const { parent, key } = locate(root, path, 'remove');
      removeAt(parent, key, path);
      return;
    }
    case 'replace': {
      const path = requirePath(op, 'path');
      if (path === '') reject('replace operation does not apply: doc is missing path: ');
      const { parent, key } = locate(root, path, 'replace');
      if (Array.isArray(parent)) {
        const idx = arrayIndex(key, parent.length);
        if (idx === undefined) reject(`replace operation does not apply: doc is missing key: ${path}`);
        parent[idx] = operationValue(op);
      } else {
        if (!hasKey(parent, key)) reject(`replace operation does not apply: doc is missing key: ${path}`);
        setKey(parent, key, operationValue(op));
      }
      return;
    }
    case 'move': {
      const from = requirePath(op, 'from');
      const path = requirePath(op, 'path');
      if (from === '' || path === '') reject('move operation does not apply: doc is missing path');
      const source = locate(root, from, 'move');
      if (readChild(source.parent, source.key) === undefined) reject(`move operation does not apply: doc is missing from path: ${from}`);
      const value = removeAt(source.parent, source.key, from);
      const target = locate(root, path, 'move');
      addAt(target.parent, target.key, value, path);
      return;
    }
    case 'copy': {
      const from = requirePath(op, 'from');
      const path = requirePath(op, 'path');
      if (path === '') reject('copy operation does not apply: doc is missing destination path');
      const source = from === '' ? { parent: root as Container, key: 'doc' } : locate(root, from, 'copy');
      const value = readChild(source.parent, source.key);
      if (value === undefined) reject(`copy operation does not apply: doc is missing from path: ${from}`);
      const target = locate(root, path, 'copy');
      addAt(target.parent, target.key, cloneJson(value), path);
      return;
    }
    case 'test': {
      const path = requirePath(op, 'path');
      const { parent, key } = path === '' ? { parent: root as Container, key: 'doc' } : locate(root, path, 'test');
      const actual = readChild(parent, key);
      const expected = op.value === undefined ? null : op.value;
      // A missing member "equals" an expected null, as in the v4 library.
      if (actual === undefined ? expected === null : jsonEqual(actual, expected)) return;
      reject(`testing value ${path} failed: test failed`);
    }
    default:
      reject(`Unexpected kind: ${kind}`);
  }
}
