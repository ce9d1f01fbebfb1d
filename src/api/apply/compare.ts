// What changed between two versions of an object, path by path (structured-merge-diff's
// Compare): leaves are added, removed or modified; a struct, map or list item that did not
// exist before is itself "added" (that is where fieldsV1's "." entries of updaters come from).
import { isJsonObject } from '../object.js';
import { FieldSet } from './field-set.js';
import { fieldElement, type PathElement } from './path.js';
import { untypedType, type TypeInfo } from './type-info.js';
import { deepEqual, indexItems, resolveType } from './typed-value.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** `undefined` stands for "absent"; null is a present value. */
export function compareObjects(lhs: unknown, rhs: unknown, type: TypeInfo): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, type, new Frame(undefined, '', c), undefined);
  return c;
}

/**
 * The same comparison for recording an update, which only needs added ∪ modified ("changed")
 * apart from removed: both land in one set instead of being united afterwards.
 */
export function changedAndRemoved(lhs: unknown, rhs: unknown, type: TypeInfo): { changed: FieldSet; removed: FieldSet } {
  const changed = new FieldSet();
  const removed = new FieldSet();
  walk(lhs, rhs, type, new Frame(undefined, '', { added: changed, modified: changed, removed }), undefined);
  return { changed, removed };
}

type Outcome = keyof Comparison;

/**
 * A container on the walk's path, with its node in each result set. Nodes are created when
 * something is first inserted below them, as FieldSet.insert would, so no empty node is left
 * behind and nothing is inserted by walking down from the root again.
 */
class Frame {
  private added: FieldSet | undefined;
  private modified: FieldSet | undefined;
  private removed: FieldSet | undefined;

  constructor(
    private readonly parent: Frame | undefined,
    private readonly element: PathElement,
    roots?: Comparison,
  ) {
    if (roots) {
      this.added = roots.added;
      this.modified = roots.modified;
      this.removed = roots.removed;
    }
  }

  node(outcome: Outcome): FieldSet {
    return (this[outcome] ??= this.parent!.node(outcome).child(this.element));
  }
}

/**
 * Records the path `at` + `element` under an outcome; the root (element undefined) is the
 * empty path, which FieldSet.insert ignores too.
 */
function record(outcome: Outcome, at: Frame | undefined, element: PathElement | undefined): void {
  if (at !== undefined && element !== undefined) at.node(outcome).members.add(element);
}

function leaf(lhs: unknown, rhs: unknown, at: Frame | undefined, element: PathElement | undefined): void {
  if (lhs === undefined) record('added', at, element);
  else if (rhs === undefined) record('removed', at, element);
  else if (!deepEqual(lhs, rhs)) record('modified', at, element);
}

/** Compares the values at path `at` + `element`; the root has no element and `at` is its frame. */
function walk(lhs: unknown, rhs: unknown, declared: TypeInfo, at: Frame, element: PathElement | undefined): void {
  if (lhs === undefined) return walkOneSide('added', rhs, declared, at, element);
  if (rhs === undefined) return walkOneSide('removed', lhs, declared, at, element);
  // Equal values on both sides add, modify and remove nothing below, whatever their type:
  // status writes leave metadata and spec as they were, so most of an object is skipped here.
  // (Not asked of the root, which a write nearly always changes: metadata would be read twice.)
  if (element !== undefined && typeof lhs === 'object' && sameJson(lhs, rhs)) return;
  const parent = element === undefined ? undefined : at;
  const type = resolveType(declared, rhs);
  if (type.kind === 'scalar' || type.kind === 'untyped') return leaf(lhs, rhs, parent, element);

  // Both sides empty or null: a leaf, so the empty/null distinction is still tracked.
  if (type.kind === 'list') {
    if (type.listType === 'atomic' || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) return leaf(lhs, rhs, parent, element);
    const left = Array.isArray(lhs) ? indexItems(type, lhs, NO_PATH, false) : new Map<string, unknown>();
    const right = Array.isArray(rhs) ? indexItems(type, rhs, NO_PATH, false) : new Map<string, unknown>();
    const frame = element === undefined ? at : new Frame(at, element);
    const itemType = type.items();
    for (const [item, value] of left) walk(value, right.get(item), itemType, frame, item);
    for (const [item, value] of right) if (!left.has(item)) walkOneSide('added', value, itemType, frame, item);
  } else {
    if (type.atomic || (isEmptyContainer(lhs) && isEmptyContainer(rhs))) return leaf(lhs, rhs, parent, element);
    const left = isJsonObject(lhs) ? lhs : {};
    const right = isJsonObject(rhs) ? rhs : {};
    const frame = element === undefined ? at : new Frame(at, element);
    for (const key of Object.keys(left)) walk(left[key], right[key], fieldType(type, key), frame, fieldElement(key));
    for (const key of Object.keys(right)) {
      if (!hasOwn(left, key)) walk(left[key], right[key], fieldType(type, key), frame, fieldElement(key));
    }
  }
}

/**
 * walk with one side absent (`outcome` "added": lhs; "removed": rhs): everything below counts
 * under that outcome, so there is nothing to compare. The absent side reads as `{}` would,
 * as in walk: a key like "constructor" finds the inherited value and goes the general way.
 */
function walkOneSide(outcome: 'added' | 'removed', value: unknown, declared: TypeInfo, at: Frame, element: PathElement | undefined): void {
  if (value === undefined) return;
  const parent = element === undefined ? undefined : at;
  const type = resolveType(declared, value);
  if (type.kind === 'scalar' || type.kind === 'untyped') return record(outcome, parent, element);
  if (type.kind === 'list') {
    if (type.listType === 'atomic' || isEmptyContainer(value)) return record(outcome, parent, element);
    if (Array.isArray(value)) {
      const frame = element === undefined ? at : new Frame(at, element);
      const itemType = type.items();
      for (const [item, itemValue] of indexItems(type, value, NO_PATH, false)) walkOneSide(outcome, itemValue, itemType, frame, item);
    }
  } else {
    if (type.atomic || isEmptyContainer(value)) return record(outcome, parent, element);
    if (isJsonObject(value)) {
      const frame = element === undefined ? at : new Frame(at, element);
      for (const key of Object.keys(value)) {
        const inherited = ABSENT[key];
        if (inherited === undefined) walkOneSide(outcome, value[key], fieldType(type, key), frame, fieldElement(key));
        else if (outcome === 'added') walk(inherited, value[key], fieldType(type, key), frame, fieldElement(key));
        else walk(value[key], inherited, fieldType(type, key), frame, fieldElement(key));
      }
    }
  }
  // Non-leaf nodes count as added or removed when one side lacks them entirely.
  record(outcome, parent, element);
}

/** What walk reads for a key of an absent object: `{}`'s, so inherited properties included. */
const ABSENT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Paths only name items in errors of strict indexing, which comparing never asks for. */
const NO_PATH: PathElement[] = [];

function fieldType(type: Extract<TypeInfo, { kind: 'struct' | 'map' }>, name: string): TypeInfo {
  return type.kind === 'map' ? type.values() : (type.field(name) ?? untypedType);
}

/** isEmptyContainer without listing the keys of every object it looks at. */
function isEmptyContainer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object') return false;
  for (const key in value) if (hasOwn(value, key)) return false;
  return true;
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Equal JSON with exactly the same own keys: stricter than deepEqual (which lets a key that is
 * inherited on one side, like "constructor", pass), so that skipping never hides a difference
 * the walk itself would have found.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!hasOwn(b, key) || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
