// Ownership after a non-apply write (create, update, patch): whatever the write changed now
// belongs to its manager (operation Update) and no longer to anyone else. This follows the
// layers upstream stacks on structured-merge-diff's Update: strip unowned metadata, merge into
// the manager's earlier entry and stamp its time only when it took something, cap updaters at ten.
import type { KubeObject } from '../object.js';
import { changedAndRemoved } from './compare.js';
import { createShape, rememberCreate, rememberedCreate } from './create-memo.js';
import { FieldSet } from './field-set.js';
import {
  decodeManagedFields,
  decodeOrEmpty,
  dropEmpty,
  encodeManagedFields,
  formatTime,
  managerIdentity,
  type ManagedFields,
  type ManagedFieldsEntry,
  type ManagerRecord,
} from './managed-fields.js';
import { hintFor, rememberHint } from './encoding-hints.js';
import { ANCIENT_CHANGES, MAX_UPDATE_MANAGERS } from './manager-name.js';
import { UNOWNED_FIELDS, withoutManagedFields } from './strip.js';
import type { TypeInfo } from './type-info.js';
import { ApplyTypeError } from './typed-value.js';

export interface UpdateManager {
  manager: string;
  apiVersion: string;
  subresource?: string;
}

/**
 * Records `newBody` replacing `oldBody` (both without managedFields) for an updater.
 * `resetFields` are paths the endpoint ignores (spec on /status): not compared, never owned.
 */
export function applyUpdateOwnership(
  managed: ManagedFields,
  oldBody: unknown,
  newBody: unknown,
  type: TypeInfo,
  who: UpdateManager,
  now: Date,
  resetFields?: FieldSet,
): void {
  const compared = changedAndRemoved(oldBody, newBody, type);
  const changed = resetFields ? compared.changed.recursiveDifference(resetFields) : compared.changed;
  const removed = resetFields ? compared.removed.recursiveDifference(resetFields) : compared.removed;
  const record: ManagerRecord = { manager: who.manager, operation: 'Update', apiVersion: who.apiVersion, fields: changed };
  if (who.subresource) record.subresource = who.subresource;
  const id = managerIdentity(record);
  if (rewritesOnlyItsOwn(managed, id, changed, removed)) {
    // The general steps below would take these fields from the entry and give them straight
    // back: the same set, so only the time moves (heartbeats, a status writer's next status).
    if (!changed.isEmpty()) managed.get(id)!.time = formatTime(now);
  } else {
    takeOwnership(managed, id, record, changed, removed, now);
  }
  dropEmpty(managed);
  capUpdateManagers(managed);
}

/**
 * Whether the write removed nothing and changed only fields its manager alone already owns
 * (none of them unowned metadata): then ownership stays as it is.
 */
export function rewritesOnlyItsOwn(managed: ManagedFields, id: string, changed: FieldSet, removed: FieldSet): boolean {
  const own = managed.get(id);
  if (own === undefined || !removed.isEmpty() || !changed.isSubsetOf(own.fields) || changed.intersects(UNOWNED_FIELDS)) return false;
  for (const [otherId, other] of managed) if (otherId !== id && other.fields.intersects(changed)) return false;
  return true;
}

/** The general case: `record` (fields unset yet) becomes the writer's entry if it took anything. */
export function takeOwnership(managed: ManagedFields, id: string, record: ManagerRecord, changed: FieldSet, removed: FieldSet, now: Date): void {
  // Every existing entry, the manager's own included, loses what this write changed or removed.
  // Sets are shared from here on (without returns an untouched set itself), never modified in place.
  for (const existing of managed.values()) existing.fields = existing.fields.without(changed).without(removed);
  const taken = changed.without(removed).without(UNOWNED_FIELDS);
  if (!taken.isEmpty()) {
    record.fields = taken;
    const previous = managed.get(id);
    if (previous) {
      record.fields = previous.fields.union(taken);
      if (previous.source !== undefined) record.source = previous.source;
    }
    record.time = formatTime(now);
    managed.set(id, record);
  }
}

/** Merges the oldest updaters into per-version "ancient-changes" entries until at most ten remain. */
function capUpdateManagers(managed: ManagedFields): void {
  const updaters = [...managed.entries()].filter(([, r]) => r.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  const seconds = (r: ManagerRecord): number => (r.time ? Math.floor(Date.parse(r.time) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => seconds(a) - seconds(b) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, record] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const first = firstByVersion.get(record.apiVersion);
    if (first === undefined) {
      firstByVersion.set(record.apiVersion, id);
      continue;
    }
    const bucketRecord: ManagerRecord = { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: record.apiVersion, fields: new FieldSet() };
    const bucketId = managerIdentity(bucketRecord);
    let bucket = managed.get(bucketId);
    if (!bucket) {
      // The first (oldest) entry of this version becomes the bucket.
      const firstRecord = managed.get(first)!;
      managed.delete(first);
      bucket = { ...bucketRecord, fields: firstRecord.fields };
      managed.set(bucketId, bucket);
    }
    bucket.fields = bucket.fields.union(record.fields);
    if (record.time) bucket.time = record.time;
    managed.delete(id);
    count--;
  }
}

export interface RecordUpdateInput {
  /** The stored object; undefined on create. */
  old: KubeObject | undefined;
  /** The object about to be stored, as the write left it (managedFields included as sent). */
  updated: KubeObject;
  manager: string;
  operation: 'Update';
  /** The group/version the request was made in. */
  apiVersion: string;
  now: Date;
  typeInfo: TypeInfo;
  /** "status" or "scale" for subresource writes: recorded on the entry; managedFields in the body are ignored. */
  subresource?: string;
  resetFields?: FieldSet;
  /** The "before" of a create (see emptyObjectFor); defaults to an empty object. */
  emptyObject?: KubeObject;
}

/** Returns the managedFields to store with `updated` (undefined: none). */
export function recordUpdate(input: RecordUpdateInput): ManagedFieldsEntry[] | undefined {
  const { old, updated } = input;
  const oldBody = withoutManagedFields(old ?? input.emptyObject ?? {});
  const newBody = withoutManagedFields(updated);
  // A plain create (no managedFields sent) of a shape seen before records what that one did.
  const plainCreate = old === undefined && input.subresource === undefined && input.resetFields === undefined && updated.metadata?.managedFields == null;
  if (plainCreate) {
    const writer = managerIdentity({ manager: input.manager, operation: input.operation, apiVersion: input.apiVersion });
    const shape = createShape(newBody, oldBody);
    const remembered = shape === undefined ? undefined : rememberedCreate(input.typeInfo, writer, shape, formatTime(input.now));
    if (remembered) return remembered.entries;
    const entries = recordTrackedUpdate(input, oldBody, newBody);
    // An object that cannot be typed is created without managedFields, and not remembered.
    if (entries === typeFailure) return undefined;
    if (shape !== undefined) rememberCreate(input.typeInfo, writer, shape, entries);
    return entries;
  }
  const entries = recordTrackedUpdate(input, oldBody, newBody);
  return entries === typeFailure ? (old?.metadata?.managedFields as ManagedFieldsEntry[] | undefined) : entries;
}

/** recordTrackedUpdate's answer for an object that cannot be typed. */
const typeFailure = Symbol('type failure');

/** The general path of recordUpdate. */
function recordTrackedUpdate(input: RecordUpdateInput, oldBody: KubeObject, newBody: KubeObject): ManagedFieldsEntry[] | undefined | typeof typeFailure {
  const { old, updated } = input;
  const managed = managedFieldsForUpdate(old, updated, input.subresource !== undefined);
  // Upstream stops tracking objects that lost their managedFields, except on create.
  if (managed.size === 0 && old?.metadata?.uid) return undefined;
  try {
    applyUpdateOwnership(managed, oldBody, newBody, input.typeInfo, input, input.now, input.resetFields);
  } catch (err) {
    // Upstream's UpdateNoErrors: an object it cannot type keeps its previous managedFields.
    if (err instanceof ApplyTypeError) return typeFailure;
    throw err;
  }
  // The writer's entry is the one whose shape repeats from object to object (see encoding-hints).
  const writer = managerIdentity({ manager: input.manager, operation: input.operation, apiVersion: input.apiVersion, ...(input.subresource ? { subresource: input.subresource } : {}) });
  const record = managed.get(writer);
  if (record && record.source === undefined) record.source = hintFor(input.typeInfo, writer);
  const entries = encodeManagedFields(managed);
  if (record) rememberHint(input.typeInfo, writer, entries?.find((entry) => entry.fieldsV1 !== undefined && sameManager(entry, record))?.fieldsV1);
  return entries;
}

function sameManager(entry: ManagedFieldsEntry, record: ManagerRecord): boolean {
  return entry.manager === record.manager && entry.operation === record.operation && entry.apiVersion === record.apiVersion && entry.subresource === record.subresource;
}

/**
 * Which managedFields an update starts from: those the client sent when it sent some (this is
 * how clients edit or reset them: [] or [{}] clear them), else the stored ones. Subresource
 * writes cannot change managedFields.
 */
function managedFieldsForUpdate(old: KubeObject | undefined, updated: KubeObject, isSubresource: boolean): ManagedFields {
  const stored = (): ManagedFields => decodeOrEmpty(old?.metadata?.managedFields as ManagedFieldsEntry[] | undefined);
  if (isSubresource) return stored();
  const sent = updated.metadata?.managedFields as ManagedFieldsEntry[] | undefined;
  if (sent !== undefined && sent !== null) {
    if (sent.length === 0) return new Map();
    if (sent.length === 1 && sent[0] && Object.keys(sent[0]).length === 0) return new Map();
  }
  try {
    const decoded = sent ? decodeManagedFields(sent) : new Map<string, ManagerRecord>();
    if (decoded.size > 0) return decoded;
  } catch {
    // Unreadable managedFields from the client: fall back to the stored ones.
  }
  return stored();
}
