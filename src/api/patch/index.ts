// Public API of the patch engines the API server applies for PATCH requests.
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS, type JsonPatchOperation } from './json-patch.js';
export { applyMergePatch, applyMergePatchToObject } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { patchSchemaFor, objectMetaSchema, podSpecSchema, podTemplateSpecSchema } from './patch-metadata.js';
export { lookupField, type PatchField, type PatchSchema, type PatchStrategy } from './patch-schema.js';
export {
  PatchRejectedError,
  customResourcePatchTypes,
  genericUnprocessableMessage,
  strategicMergePatchNotSupported,
  unknownPatchError,
} from './patch-errors.js';
export { MAX_PATCH_NESTING_DEPTH } from './json-value.js';
