// List handling for strategic merge patch: merging by key, primitive sets, list-element
// directives, and the ordering rules (patch order for patched items, live order for
// server-only items, interleaved so both relative orders survive).
import { goFormat, goTypeName, isJsonObject, type JsonObject } from './json-value.js';
import type { PatchSchema } from './patch-schema.js';
import {
  SmpError,
  directiveMarker,
  errBadArgType,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  setElementOrderPrefix,
} from './smp-support.js';

/** Merges one patch element into the live element with the same merge key (mergeMap, injected to avoid an import cycle). */
export type ElementMerger = (original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined) => JsonObject;

export type ElementKind = 'map' | 'primitive';

/** Upstream's sliceElementType: every element of every list must share one Go type, and none may be a list. */
export function sliceElementKind(...lists: readonly unknown[][]): ElementKind | undefined {
  let firstType: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      const type = goTypeName(item);
      if (firstType === undefined) {
        if (Array.isArray(item)) throw errNoListOfLists();
        firstType = type;
      } else if (type !== firstType) {
        throw new SmpError(`list element types are not identical: [${lists.map(goFormat).join(' ')}]`);
      }
    }
  }
  if (firstType === undefined) return undefined;
  return firstType === 'map[string]interface {}' ? 'map' : 'primitive';
}

/** The value a list element is identified by: its merge-key value for maps, itself for primitives. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  if (!isJsonObject(item)) return null;
  return item[mergeKey] ?? null;
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const wanted = identity(item, mergeKey, kind);
  return list.findIndex((candidate) => identity(candidate, mergeKey, kind) === wanted);
}

/** Index of the map in `list` whose `key` equals `value`; every element must be a map. */
export function findMapByKey(list: readonly unknown[], key: string, value: unknown): number {
  for (const [i, item] of list.entries()) {
    if (!isJsonObject(item)) throw new SmpError(`value for key ${i} is not a map`);
    if (Object.prototype.hasOwnProperty.call(item, key) && item[key] === value) return i;
  }
  return -1;
}

function requireMergeKey(list: readonly unknown[], mergeKey: string): void {
  for (const item of list) {
    if (!isJsonObject(item)) throw errBadArgType('map', item);
    if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
  }
}

/** Sorts `items` by their position in `order`; items `order` does not mention keep their relative place. */
function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    requireMergeKey(items, mergeKey);
    requireMergeKey(order, mergeKey);
    toDelete = items.filter((item) => isJsonObject(item) && item[directiveMarker] === 'delete');
    items = items.filter((item) => !toDelete.includes(item));
  }
  const ranked = items.map((item, position) => ({ item, position, rank: indexIn(order, item, mergeKey, kind) }));
  ranked.sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : a.position - b.position));
  return [...ranked.map((r) => r.item), ...toDelete];
}

/**
 * Interleaves server-only items (left) into patch items (right): a server-only item goes
 * first only while the live order says it precedes the next patch item.
 */
function interleave(left: unknown[], right: unknown[], serverOrder: readonly unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) {
      out.push(right[j++]);
    } else if (j >= right.length) {
      out.push(left[i++]);
    } else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Orders a merged list: items named by `patchOrder` follow it, the rest keep the live (`serverOrder`) order. */
export function orderMergedList(
  merged: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    let inPatch: boolean;
    if (mergeKey === '') {
      inPatch = patchOrder.some((p) => p === item);
    } else {
      if (!isJsonObject(item)) throw errBadArgType('map', item);
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      inPatch = findMapByKey(patchOrder, mergeKey, item[mergeKey]) >= 0;
    }
    (inPatch ? patchItems : serverOnly).push(item);
  }
  const sortedPatch = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const sortedServer = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return interleave(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/** Set union that keeps the first occurrence of each primitive. */
function dedupe(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.some((seen) => seen === item)) out.push(item);
  return out;
}

/**
 * Applies list-element directives: {$patch: delete, <key>: v} removes live elements,
 * {$patch: replace} makes the remaining patch elements the whole list.
 */
function applyElementDirectives(original: unknown[], patch: JsonObject[], mergeKey: string): { original: unknown[]; patch: JsonObject[] } {
  const plain: JsonObject[] = [];
  let replace = false;
  for (const element of patch) {
    if (!Object.prototype.hasOwnProperty.call(element, directiveMarker)) {
      plain.push(element);
      continue;
    }
    const directive = element[directiveMarker];
    if (directive === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
      const doomed = element[mergeKey];
      for (let at = findMapByKey(original, mergeKey, doomed); at >= 0; at = findMapByKey(original, mergeKey, doomed)) {
        original.splice(at, 1);
      }
    } else if (directive === 'replace') {
      replace = true; // keep scanning so every other directive element is pruned too
    } else if (directive === 'merge') {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, element);
    }
  }
  return replace ? { original: plain, patch: [] } : { original, patch: plain };
}

/** Upstream's mergeSlice: the strategy is "merge" (or this is a $deleteFromPrimitiveList list). */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  elementSchema: PatchSchema | undefined,
  mergeKey: string,
  isDeleteList: boolean,
  mergeElement: ElementMerger,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch) ?? 'primitive';

  if (kind !== 'map') {
    if (isDeleteList) return original.filter((item) => !patch.some((doomed) => doomed === item));
    const merged = dedupe([...original, ...patch]);
    return orderMergedList(merged, patch, original, '', kind);
  }

  if (mergeKey === '') throw new SmpError('cannot merge lists without merge key for struct');
  const split = applyElementDirectives(original, patch as JsonObject[], mergeKey);
  const live = split.original;
  const merged = [...live];
  for (const element of split.patch) {
    if (!Object.prototype.hasOwnProperty.call(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
    const at = findMapByKey(merged, mergeKey, element[mergeKey]);
    if (at >= 0) merged[at] = mergeElement(merged[at] as JsonObject, element, elementSchema);
    else merged.push(element);
  }
  return orderMergedList(merged, split.patch, live, mergeKey, kind);
}

/**
 * Upstream's validatePatchWithSetOrderList: the patch list (deletions aside) must be a
 * subsequence of the $setElementOrder list.
 */
export function checkPatchAgainstOrder(patchList: readonly unknown[], orderList: readonly unknown[], mergeKey: string): void {
  if (orderList.length === 0 || patchList.length === 0) return;
  let kept: readonly unknown[] = patchList;
  if (mergeKey !== '') {
    for (const item of patchList) if (!isJsonObject(item)) throw errBadArgType('map', item);
    kept = patchList.filter((item) => !(isJsonObject(item) && item[directiveMarker] === 'delete'));
  }
  let p = 0;
  let o = 0;
  while (p < kept.length && o < orderList.length) {
    const item = kept[p];
    if (isJsonObject(item) && Object.prototype.hasOwnProperty.call(item, directiveMarker)) {
      p++;
      continue;
    }
    if (sameElement(item, orderList[o], mergeKey)) p++;
    o++;
  }
  if (p < kept.length && o >= orderList.length) {
    throw new SmpError(`the order in patch list:\n${goFormat(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goFormat(orderList)}`);
  }
}

function sameElement(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isJsonObject(left)) throw errBadArgType('map', left);
  if (!isJsonObject(right)) throw errBadArgType('map', right);
  if (!Object.prototype.hasOwnProperty.call(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.prototype.hasOwnProperty.call(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}
