// Structural defaulting (apiextensions-apiserver schema/defaulting), run after pruning when a
// custom resource is decoded: first non-nullable nulls that have no default are dropped, then
// `default` values fill missing properties and replace non-nullable nulls.
import { type JSONSchemaProps, additionalPropertiesSchema, fieldSchema, isJsonMap, propertySchema } from './schema.js';

const hasDefault = (s: JSONSchemaProps | undefined): s is JSONSchemaProps & { default: unknown } =>
  s !== undefined && s.default !== undefined && s.default !== null;

/** A null where the schema says nullable: false; such a value is defaulted (or dropped). */
const isNonNullableNull = (value: unknown, s: JSONSchemaProps | undefined): s is JSONSchemaProps =>
  value === null && s !== undefined && s.nullable !== true;

/**
 * Upstream's PruneNonNullableNullsWithoutDefaults: `field: null` for a non-nullable field
 * without a default is the same as leaving the field out, so the field is removed.
 */
export function pruneNonNullableNullsWithoutDefaults(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNullsWithoutDefaults(item, schema?.items);
    return;
  }
  if (!isJsonMap(value)) return;
  for (const key of Object.keys(value)) {
    const sub = fieldSchema(schema, key);
    if (isNonNullableNull(value[key], sub) && !hasDefault(sub)) delete value[key];
    else pruneNonNullableNullsWithoutDefaults(value[key], sub);
  }
}

/** Upstream's structural Default: fills `default`s into obj in place (defaults are deep-copied). */
export function defaultBySchema(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    value.forEach((item, i) => {
      if (isNonNullableNull(item, items) && hasDefault(items)) value[i] = structuredClone(items.default);
      // Upstream recurses into the original element, so a replaced null is not defaulted further.
      defaultBySchema(item, items);
    });
    return;
  }
  if (!isJsonMap(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (!hasDefault(prop)) continue;
    if (!Object.hasOwn(value, key) || isNonNullableNull(value[key], prop)) value[key] = structuredClone(prop.default);
  }
  const additional = additionalPropertiesSchema(schema);
  for (const key of Object.keys(value)) {
    const prop = propertySchema(schema, key);
    if (prop !== undefined) {
      defaultBySchema(value[key], prop);
    } else if (additional !== undefined) {
      const original = value[key];
      if (isNonNullableNull(original, additional) && hasDefault(additional)) value[key] = structuredClone(additional.default);
      defaultBySchema(original, additional);
    }
  }
}

/**
 * What the API server does to a decoded custom resource after pruning: drop non-nullable
 * nulls that have no default, then apply the schema's defaults.
 */
export function applySchemaDefaults(obj: unknown, schema: JSONSchemaProps | undefined): void {
  if (schema === undefined) return;
  pruneNonNullableNullsWithoutDefaults(obj, schema);
  defaultBySchema(obj, schema);
}
