// The managedFields of a create, remembered by the shape of the object created. A create's only
// entry is its manager's, owning every field the object sets beyond its kind's zero object; that
// set depends on which fields are present, not on what most of them hold. Clients create objects
// from templates (a ReplicaSet's pods, a scheduler's Scheduled events), so the next object of a
// shape gets the same fieldsV1 — shared, as stored fieldsV1 always are (own-encodings.ts) — and
// only the entry's time is new. Computing the set and encoding it was about half of a pod
// create's CPU in the API server.
//
// The shape is conservative: it is exact wherever a value can change the set. It spells every
// object key, every array whole (list keys and set members live in arrays), and for each scalar
// its JSON type and whether it equals the zero object's value at the same path (equal values are
// not owned). Values elsewhere (names, uids, timestamps, messages) are left out, which is the point.
import type { ManagedFieldsEntry } from './managed-fields.js';
import type { TypeInfo } from './type-info.js';

/** Shapes remembered per type and manager; past it the type's memo starts over. */
export const createShapesPerTypeMax = 256;
/** Arrays longer than this (as JSON) make the shape too costly to key on: such creates are not remembered. */
export const maxArrayJsonChars = 64 * 1024;

/** `null`: the create owned nothing (no managedFields). */
type Remembered = readonly ManagedFieldsEntry[] | null;

/** What a create of a remembered shape records: `entries` undefined means no managedFields. */
export interface RememberedCreate {
  entries: ManagedFieldsEntry[] | undefined;
}

const memoByType = new WeakMap<TypeInfo, Map<string, Remembered>>();

/**
 * The shape key of `body` (the object as created, without managedFields) against its kind's
 * zero object, or undefined when the object is not worth remembering.
 */
export function createShape(body: unknown, zero: unknown): string | undefined {
  // The zero object itself (a few fields) is part of the key: which paths it has decides too.
  const parts: string[] = [JSON.stringify(zero) ?? '', '\n'];
  return shapeOf(body, zero, parts) ? parts.join('') : undefined;
}

function shapeOf(value: unknown, zero: unknown, parts: string[]): boolean {
  if (value === null || typeof value !== 'object') {
    parts.push(scalarShape(value, zero));
    return true;
  }
  if (Array.isArray(value)) {
    const json = JSON.stringify(value);
    if (json.length > maxArrayJsonChars) return false;
    // Length-prefixed, so no array's JSON can pass for the keys that follow it.
    parts.push(`[${json.length}:`, json, ']');
    return true;
  }
  const zeroObject = zero !== null && typeof zero === 'object' && !Array.isArray(zero) ? (zero as Record<string, unknown>) : undefined;
  parts.push('{');
  for (const key in value) {
    // Length-prefixed keys: no key can spell another key followed by a value's shape.
    parts.push(`${key.length}:`, key);
    if (!shapeOf((value as Record<string, unknown>)[key], zeroObject?.[key], parts)) return false;
  }
  parts.push('}');
  return true;
}

function scalarShape(value: unknown, zero: unknown): string {
  const type = value === null ? 'n' : value === undefined ? 'u' : typeof value === 'string' ? 's' : typeof value === 'number' ? 'd' : typeof value === 'boolean' ? 'b' : 'x';
  if (zero === undefined) return type;
  return value === zero ? `${type}=` : `${type}~`;
}

/** The entries remembered for this type, manager and shape, stamped `time`; undefined when not remembered. */
export function rememberedCreate(type: TypeInfo, managerId: string, shape: string, time: string): RememberedCreate | undefined {
  const remembered = memoByType.get(type)?.get(`${managerId}\n${shape}`);
  if (remembered === undefined) return undefined;
  // Fresh entries (callers may set fields on them) around the shared fieldsV1; only the time moves.
  return { entries: remembered === null ? undefined : remembered.map((entry) => ({ ...entry, time })) };
}

export function rememberCreate(type: TypeInfo, managerId: string, shape: string, entries: readonly ManagedFieldsEntry[] | undefined): void {
  let memo = memoByType.get(type);
  if (!memo) {
    memo = new Map();
    memoByType.set(type, memo);
  }
  if (memo.size >= createShapesPerTypeMax) memo.clear();
  memo.set(`${managerId}\n${shape}`, entries && entries.length > 0 ? entries.map((entry) => ({ ...entry })) : null);
}
