// What changed between two versions of an object, path by path (structured-merge-diff's
// Compare): leaves are added, removed or modified; a struct, map or list item that did not
// exist before is itself "added" (that is where fieldsV1's "." entries of updaters come from).
import { isJsonObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { fieldElement, type Path } from './path.js';
import type { TypeInfo } from './type-info.js';
import { asContainer, deepEqual, indexItems, isEmptyContainer, resolveType } from './typed-value.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** `undefined` stands for "absent"; null is a present value. */
export function compareObjects(lhs: unknown, rhs: unknown, type: TypeInfo): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, type, [], c);
  return c;
}

function leaf(lhs: unknown, rhs: unknown, path: Path, c: Comparison): void {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
}

function walk(lhs: unknown, rhs: unknown, declared: TypeInfo, path: Path, c: Comparison): void {
  if (lhs === undefined && rhs === undefined) return;
  const type = resolveType(declared, rhs === undefined ? lhs : rhs);
  if (type.kind === 'scalar' || type.kind === 'untyped') return leaf(lhs, rhs, path, c);

  // Both sides empty or null: a leaf, so the empty/null distinction is still tracked.
  const bothEmpty = isEmptyContainer(lhs) && isEmptyContainer(rhs);
  if (type.kind === 'list') {
    if (type.listType === 'atomic' || bothEmpty) return leaf(lhs, rhs, path, c);
    const left = Array.isArray(lhs) ? indexItems(type, lhs, path, false) : new Map<string, unknown>();
    const right = Array.isArray(rhs) ? indexItems(type, rhs, path, false) : new Map<string, unknown>();
    for (const element of new Set([...left.keys(), ...right.keys()])) {
      walk(left.get(element), right.get(element), type.items(), [...path, element], c);
    }
  } else {
    const container = asContainer(type)!;
    if (container.atomic || bothEmpty) return leaf(lhs, rhs, path, c);
    const left = isJsonObject(lhs) ? lhs : {};
    const right = isJsonObject(rhs) ? rhs : {};
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      walk(left[key], right[key], container.childType(key), [...path, fieldElement(key)], c);
    }
  }
  // Non-leaf nodes count as added or removed when one side lacks them entirely.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}
