// The fieldsV1 a manager's entry had on the previous object of the same kind. A manager writes
// the same shape again and again (every pod a client creates, every status the kubelet posts),
// so encoding the next entry can copy the subtrees that still match (toFieldsV1 checks each
// one) instead of sorting and rebuilding them. A hint never changes the output, only its cost.
import type { TypeInfo } from './type-info.js';

/** Managers remembered per kind; past it the kind's hints start over. */
const hintsPerKindMax = 64;

const hintsByKind = new WeakMap<TypeInfo, Map<string, unknown>>();

/** The last fieldsV1 recorded for a manager identity on objects of this type, if any. */
export function hintFor(type: TypeInfo, managerId: string): unknown {
  return hintsByKind.get(type)?.get(managerId);
}

export function rememberHint(type: TypeInfo, managerId: string, fieldsV1: unknown): void {
  let hints = hintsByKind.get(type);
  if (!hints) {
    hints = new Map();
    hintsByKind.set(type, hints);
  }
  if (hints.size >= hintsPerKindMax && !hints.has(managerId)) hints.clear();
  hints.set(managerId, fieldsV1);
}
