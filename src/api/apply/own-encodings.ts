// The fieldsV1 objects this process encoded itself. The watch cache keeps the very objects the
// server stored, so the next write to an object finds its managedFields as the same JSON objects.
// Those are known to be canonical (exactly toFieldsV1 of the set they decode to), so a set
// decoded from one can remember, node by node, the JSON it came from, and encoding hands that
// JSON back for every node the write left alone (most of every entry, all of most entries)
// instead of rebuilding it. Stored fieldsV1 are shared from then on: never modified in place.
import type { FieldsV1 } from './field-set.js';

/** Weak, so bounded by the objects still alive (the watch cache's); no limit of its own needed. */
const ownEncodings = new WeakSet<object>();

export function isOwnEncoding(fieldsV1: unknown): boolean {
  return fieldsV1 !== null && typeof fieldsV1 === 'object' && ownEncodings.has(fieldsV1);
}

export function rememberOwnEncoding(fieldsV1: FieldsV1): void {
  ownEncodings.add(fieldsV1);
}
