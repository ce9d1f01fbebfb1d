// Server-side apply and managedFields bookkeeping, as pure functions the API server calls.
export { applyConfig, type ApplyInput, type ApplyResult } from './apply.js';
export { recordUpdate, type RecordUpdateInput } from './update.js';
export { fieldSetOf, type FieldSetOptions } from './field-set-of.js';
export { FieldSet, toFieldsV1, fromFieldsV1, type FieldsV1 } from './field-set.js';
export { compareObjects, type Comparison } from './compare.js';
export { pathToString, fieldElement, keyElement, valueElement, type Path, type PathElement } from './path.js';
export { type ManagedFieldsEntry, type Operation } from './managed-fields.js';
export { typeInfoForKind, OpenApiTypes } from './openapi-types.js';
export { emptyObjectFor } from './empty-object.js';
export { fieldManagerFor, BEFORE_FIRST_APPLY, ANCIENT_CHANGES, MAX_UPDATE_MANAGERS, KUBECTL_SSA_MANAGER } from './manager-name.js';
export { LAST_APPLIED_ANNOTATION, allowedConflictsFromLastApplied, syncLastApplied } from './last-applied.js';
export { UNOWNED_FIELDS } from './strip.js';
export * from './type-info.js';
