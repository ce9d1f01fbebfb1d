// Server-side apply: merge an applied configuration into the live object and record that the
// manager now owns exactly the fields of its configuration. The steps follow upstream's field
// manager stack around structured-merge-diff's Apply:
//   1. an object without managedFields first gets them for its existing content ("before-first-apply");
//   2. merge the config; fields the manager applied last time and dropped now are removed unless
//      someone else (or the new config) still owns them;
//   3. fields that change and belong to other managers conflict (409), or with force change hands;
//   4. kubectl's CSA->SSA upgrade rules (last-applied.ts); identity/bookkeeping metadata stays unowned.
import { badRequest, StatusError } from '../errors.js';
import type { KubeObject } from '../object.js';
import { compareObjects } from './compare.js';
import { conflictError, conflictsOf, type Conflict } from './conflicts.js';
import { FieldSet } from './field-set.js';
import { fieldSetOf } from './field-set-of.js';
import { allowedConflictsFromLastApplied, syncLastApplied } from './last-applied.js';
import {
  cloneManaged,
  decodeOrEmpty,
  dropEmpty,
  encodeManagedFields,
  formatTime,
  managerIdentity,
  type ManagedFields,
  type ManagedFieldsEntry,
  type ManagerRecord,
} from './managed-fields.js';
import { BEFORE_FIRST_APPLY, KUBECTL_SSA_MANAGER } from './manager-name.js';
import { dropNulls, mergeValues, pruneValue } from './merge.js';
import { UNOWNED_FIELDS, withoutManagedFields } from './strip.js';
import type { TypeInfo } from './type-info.js';
import { ApplyTypeError, deepEqual } from './typed-value.js';
import { applyUpdateOwnership } from './update.js';

export interface ApplyInput {
  /** The stored object; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the request body). */
  config: KubeObject;
  manager: string;
  /** The group/version of the request. */
  apiVersion: string;
  force?: boolean;
  typeInfo: TypeInfo;
  now: Date;
  /** "status" or "scale" for applies to a subresource. */
  subresource?: string;
  /** Paths this endpoint resets (status on the main resource): never owned, never conflicting. */
  resetFields?: FieldSet;
  /** The "before" of a create (see emptyObjectFor); defaults to {}. */
  emptyObject?: KubeObject;
}

export interface ApplyResult {
  /** The object to store, managedFields included. */
  object: KubeObject;
  managedFields: ManagedFieldsEntry[] | undefined;
  /** False when storing `object` would change nothing (a no-op apply keeps resourceVersion). */
  changed: boolean;
}

class ConflictsFound extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super('apply conflicts');
  }
}

export function applyConfig(input: ApplyInput): ApplyResult {
  if (input.config.metadata?.managedFields != null) throw badRequest('metadata.managedFields must be nil');
  const liveBody = structuredClone(withoutManagedFields(input.live ?? input.emptyObject ?? {}));
  const managed = decodeOrEmpty(input.live?.metadata?.managedFields as ManagedFieldsEntry[] | undefined);
  try {
    if (managed.size === 0 && input.live) {
      const before = withoutManagedFields(input.emptyObject ?? {});
      const who = { manager: BEFORE_FIRST_APPLY, apiVersion: input.apiVersion, ...(input.subresource ? { subresource: input.subresource } : {}) };
      applyUpdateOwnership(managed, before, liveBody, input.typeInfo, who, input.now, input.resetFields);
    }
    const outcome = applyWithUpgradeRules(managed, liveBody, input);
    return finish(outcome.merged, outcome.managed, input);
  } catch (err) {
    if (err instanceof ApplyTypeError) {
      throw new StatusError(500, 'InternalError', `failed to create typed patch object (${input.apiVersion}, Kind=${input.config.kind ?? ''}): ${err.message}`);
    }
    throw err;
  }
}

function applyWithUpgradeRules(managed: ManagedFields, liveBody: KubeObject, input: ApplyInput): Outcome {
  try {
    return applyOnce(cloneManaged(managed), liveBody, input, input.force ?? false);
  } catch (err) {
    if (!(err instanceof ConflictsFound)) throw err;
    if (input.manager !== KUBECTL_SSA_MANAGER) throw conflictError(err.conflicts);
    const allowed = allowedConflictsFromLastApplied(input.live, input.apiVersion, input.typeInfo);
    if (!allowed) throw conflictError(err.conflicts);
    const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw conflictError(remaining);
    return applyOnce(cloneManaged(managed), liveBody, input, true);
  }
}

interface Outcome {
  merged: KubeObject;
  managed: ManagedFields;
}

function applyOnce(managed: ManagedFields, liveBody: KubeObject, input: ApplyInput, force: boolean): Outcome {
  const { typeInfo: type } = input;
  const reset = input.resetFields ?? new FieldSet();
  const configSet = fieldSetOf(input.config, type, { strict: true }).recursiveDifference(reset);
  let merged = mergeValues(liveBody, structuredClone(input.config), type) as KubeObject;

  const self: ManagerRecord = { manager: input.manager, operation: 'Apply', apiVersion: input.apiVersion, fields: configSet };
  if (input.subresource) self.subresource = input.subresource;
  const id = managerIdentity(self);
  const previous = managed.get(id);
  if (previous?.time) self.time = previous.time;
  managed.set(id, self);

  // Drop what this manager applied before and no longer applies, unless still owned by anyone.
  if (previous && !previous.fields.isEmpty()) {
    let owned = new FieldSet();
    for (const record of managed.values()) owned = owned.union(record.fields);
    const pruned = pruneValue(merged, type, previous.fields.withNamedParentsAsMembers(), owned.withNamedParentsAsMembers());
    merged = (pruned ?? {}) as KubeObject;
  }

  const c = compareObjects(liveBody, merged, type);
  const changed = c.modified.union(c.added).recursiveDifference(reset);
  const removed = c.removed.recursiveDifference(reset);
  const conflicts = new Map<string, { record: ManagerRecord; fields: FieldSet }>();
  for (const [otherId, record] of managed) {
    if (otherId === id) continue;
    const clash = record.fields.intersection(changed);
    if (!clash.isEmpty()) conflicts.set(otherId, { record, fields: clash });
  }
  if (conflicts.size > 0 && !force) throw new ConflictsFound(conflictsOf(conflicts));
  for (const [otherId, record] of managed) {
    if (otherId === id) continue;
    const clash = conflicts.get(otherId)?.fields;
    record.fields = (clash ? record.fields.difference(clash) : record.fields).difference(removed);
  }
  self.fields = self.fields.difference(UNOWNED_FIELDS);
  dropEmpty(managed);
  // The entry's time moves only when the object changes: re-applying the same config is a no-op.
  if (!deepEqual(liveBody, merged)) self.time = formatTime(input.now);
  return { merged, managed };
}

function finish(merged: KubeObject, managed: ManagedFields, input: ApplyInput): ApplyResult {
  const object = dropNulls(merged) as KubeObject;
  const managedFields = encodeManagedFields(managed);
  object.metadata ??= {};
  if (managedFields) object.metadata.managedFields = managedFields as NonNullable<KubeObject['metadata']>['managedFields'];
  else delete object.metadata.managedFields;
  if (input.manager === KUBECTL_SSA_MANAGER) syncLastApplied(object, input.config);
  const changed = !input.live || !deepEqual(dropNulls(input.live), object);
  return { object, managedFields, changed };
}
