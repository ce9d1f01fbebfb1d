// Merging an applied configuration into the live object (structured-merge-diff's Merge), and
// removing the fields an applier gave up (its prune step). Both follow the type: atomic values
// are replaced whole, structs and maps merge key by key, map and set lists merge item by item.
import { isJsonObject } from '../object.js';
import type { FieldSet } from './field-set.js';
import { fieldElement, type Path, type PathElement } from './path.js';
import type { ListTypeInfo, TypeInfo } from './type-info.js';
import { asContainer, indexItems, itemElement, resolveType } from './typed-value.js';

export function mergeValues(lhs: unknown, rhs: unknown, type: TypeInfo, path: Path = []): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || rhs === null) return structuredClone(rhs);
  const t = resolveType(type, rhs);
  if (t.kind === 'list') {
    if (t.listType === 'atomic' || !Array.isArray(lhs) || !Array.isArray(rhs)) return structuredClone(rhs);
    return mergeLists(lhs, rhs, t, path);
  }
  const container = asContainer(t);
  if (!container || container.atomic || !isJsonObject(lhs) || !isJsonObject(rhs)) return structuredClone(rhs);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(lhs)) {
    out[key] = key in rhs ? mergeValues(value, rhs[key], container.childType(key), [...path, fieldElement(key)]) : value;
  }
  for (const [key, value] of Object.entries(rhs)) if (!(key in lhs)) out[key] = structuredClone(value);
  return out;
}

/**
 * Items keep the live order, except that items both sides share follow the config's order and
 * config-only items land where the config puts them relative to the shared ones.
 */
function mergeLists(lhs: unknown[], rhs: unknown[], type: ListTypeInfo, path: Path): unknown[] {
  const left = indexItems(type, lhs, path, false);
  const right = indexItems(type, rhs, path, true);
  const lOrder = [...left.keys()];
  const rOrder = [...right.keys()];
  const shared = rOrder.filter((e) => left.has(e));
  let nextShared = 0;
  const out: unknown[] = [];
  const emit = (e: PathElement): void => {
    out.push(mergeValues(left.get(e), right.get(e), type.items(), [...path, e]));
  };
  let l = 0;
  let r = 0;
  while (l < lOrder.length || r < rOrder.length) {
    const le = lOrder[l];
    const re = rOrder[r];
    if (le !== undefined && re !== undefined) {
      if (le === re) {
        emit(le);
        l++;
        r++;
        nextShared++;
        continue;
      }
      // A shared item that the config places later: skip it here, it is emitted in config order.
      if (right.has(le) && shared[nextShared] !== undefined && shared[nextShared] !== le) {
        l++;
        continue;
      }
    }
    if (le !== undefined && !right.has(le)) {
      emit(le);
      l++;
      continue;
    }
    if (re !== undefined) {
      emit(re);
      r++;
      if (shared[nextShared] === re) nextShared++;
      continue;
    }
    l++;
  }
  return out;
}

/**
 * Removes every node of `value` that is a member of `remove` but not of `keep` (both with their
 * named parents as members), descending only where `remove` has paths. Containers emptied by
 * the removal disappear, as upstream turns them into nulls the typed object drops.
 */
export function pruneValue(value: unknown, type: TypeInfo, remove: FieldSet, keep: FieldSet): unknown {
  const t = resolveType(type, value);
  if (t.kind === 'list') {
    if (t.listType === 'atomic' || !Array.isArray(value)) return value;
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const element = itemElement(t, item, i, [], false);
      const pruned = pruneChild(item, t.items(), element, remove, keep);
      if (pruned !== undefined) out.push(pruned);
    });
    return out.length > 0 ? out : undefined;
  }
  const container = asContainer(t);
  if (!container || container.atomic || !isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const pruned = pruneChild(child, container.childType(key), fieldElement(key), remove, keep);
    if (pruned !== undefined) out[key] = pruned;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function pruneChild(value: unknown, type: TypeInfo, element: PathElement, remove: FieldSet, keep: FieldSet): unknown {
  if (remove.members.has(element) && !keep.members.has(element)) return undefined;
  const below = remove.children.get(element);
  if (!below || below.isEmpty()) return value;
  return pruneValue(value, type, below, keep.withPrefix(element));
}

/** Drops null-valued fields, as decoding into typed objects does. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
  return out;
}
