// Pure functions the API server uses to serve custom resources: structural pruning,
// defaulting, OpenAPI validation and Table printing (apiextensions-apiserver semantics).
export type { JSONSchemaProps } from './schema.js';
export { pruneUnknownFields } from './prune.js';
export { applySchemaDefaults, defaultBySchema, pruneNonNullableNullsWithoutDefaults } from './defaults.js';
export { validateCustomResource } from './validate.js';
export { validateEmbeddedResources, validateListTypes } from './list-types.js';
export {
  DEFAULT_CUSTOM_RESOURCE_COLUMNS,
  printerForCustomResource,
  type CustomResourceColumnDefinition,
} from './printer.js';
export { compileJsonPath, JsonPathError } from './jsonpath.js';
