// Checks that live outside the OpenAPI validator upstream: uniqueness for
// x-kubernetes-list-type set/map (schema/listtype) and the apiVersion/kind an
// x-kubernetes-embedded-resource object must carry (schema/objectmeta).
import { FieldPath, duplicate, invalid, required, type FieldError } from '../field-errors.js';
import { withGoValue } from './go-format.js';
import { type JSONSchemaProps, additionalPropertiesSchema, canonicalJson, isEmbeddedResource, isJsonMap, propertySchema } from './schema.js';

/** Visits every value with its schema; properties extend the path with .key, map entries with [key]. */
function walk(value: unknown, schema: JSONSchemaProps | undefined, path: FieldPath, visit: (v: unknown, s: JSONSchemaProps, p: FieldPath) => void): void {
  if (schema === undefined) return;
  visit(value, schema, path);
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, path.index(i), visit));
  } else if (isJsonMap(value)) {
    const additional = additionalPropertiesSchema(schema);
    for (const [key, item] of Object.entries(value)) {
      const prop = propertySchema(schema, key);
      if (prop !== undefined) walk(item, prop, path.child(key), visit);
      else if (additional !== undefined) walk(item, additional, path.key(key), visit);
    }
  }
}

/**
 * Indices of the first repeat of each value (a value seen three times is reported once),
 * compared as JSON like upstream.
 */
function repeatedIndices(values: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  values.forEach((v, i) => {
    const key = v === undefined ? '<unspecified>' : canonicalJson(v);
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) repeats.push(i);
  });
  return repeats;
}

function validateListMap(list: unknown[], keys: readonly string[], path: FieldPath): FieldError[] {
  const notObject = list.findIndex((item) => item !== null && !isJsonMap(item));
  if (notObject >= 0) return [withGoValue(invalid(path.index(notObject), list[notObject], 'must be an object for an array of list-type map'))];
  if (list.length <= 1) return [];
  // A missing key is its own value, distinct from null; a null entry has every key missing.
  const keyValues = list.map((item) => {
    const entry: Record<string, unknown> = {};
    for (const k of keys) if (isJsonMap(item) && Object.hasOwn(item, k)) entry[k] = item[k];
    return entry;
  });
  const compared = keys.length === 1 ? keyValues.map((e) => (Object.keys(e).length ? e[keys[0]!] : undefined)) : keyValues;
  return repeatedIndices(compared).map((i) => withGoValue(duplicate(path.index(i), keyValues[i])));
}

/** x-kubernetes-list-type set/map uniqueness errors: "spec.ports[1]: Duplicate value: ...". */
export function validateListTypes(obj: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  const errs: FieldError[] = [];
  walk(obj, schema, new FieldPath(''), (value, s, path) => {
    if (!Array.isArray(value)) return;
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'set') {
      for (const i of repeatedIndices(value)) errs.push(withGoValue(duplicate(path.index(i), value[i])));
    } else if (listType === 'map') {
      errs.push(...validateListMap(value, s['x-kubernetes-list-map-keys'] ?? [], path));
    }
  });
  return errs;
}

/**
 * Embedded resources (not the root) must name their apiVersion and kind. Their metadata is
 * validated as ObjectMeta by the metadata module, not here.
 */
export function validateEmbeddedResources(obj: unknown, schema: JSONSchemaProps | undefined): FieldError[] {
  const errs: FieldError[] = [];
  walk(obj, schema, new FieldPath(''), (value, s, path) => {
    if (path.toString() === '' || !isEmbeddedResource(s) || !isJsonMap(value)) return;
    for (const field of ['apiVersion', 'kind'] as const) {
      if (!Object.hasOwn(value, field)) errs.push(required(path.child(field), 'must not be empty'));
      else if (typeof value[field] !== 'string') errs.push(withGoValue(invalid(path.child(field), value[field], 'must be a string')));
    }
  });
  return errs;
}
