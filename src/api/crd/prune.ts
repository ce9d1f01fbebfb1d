// Structural pruning (apiextensions-apiserver schema/pruning): drop every field the schema does
// not declare, except below x-kubernetes-preserve-unknown-fields, and keep apiVersion/kind/
// metadata at the resource root and inside x-kubernetes-embedded-resource objects (metadata is
// coerced and validated elsewhere).
import { FieldPath } from '../field-errors.js';
import {
  type JSONSchemaProps,
  META_FIELDS,
  additionalPropertiesSchema,
  isEmbeddedResource,
  isJsonMap,
  preservesUnknownFields,
  propertySchema,
} from './schema.js';

/**
 * Removes undeclared fields from obj in place and returns their paths ("spec.colour",
 * "spec.items[0].extra"), which the API server turns into unknown-field warnings or, with
 * fieldValidation=Strict, errors. The root is always treated as an embedded resource.
 */
export function pruneUnknownFields(obj: unknown, schema: JSONSchemaProps | undefined): string[] {
  // Upstream clones the root schema with x-kubernetes-embedded-resource forced on.
  const root: JSONSchemaProps = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  const pruned: string[] = [];
  prune(obj, root, new FieldPath(''), pruned);
  return pruned;
}

function prune(value: unknown, schema: JSONSchemaProps | undefined, path: FieldPath, pruned: string[]): void {
  if (schema !== undefined && preservesUnknownFields(schema)) {
    pruneDeclaredOnly(value, schema, path, pruned);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, schema?.items, path.index(i), pruned));
    return;
  }
  if (!isJsonMap(value)) return; // scalars carry no fields
  for (const key of Object.keys(value)) {
    if (schema !== undefined && isEmbeddedResource(schema) && META_FIELDS.has(key)) continue;
    const sub = schema === undefined ? undefined : (propertySchema(schema, key) ?? additionalPropertiesSchema(schema));
    if (sub !== undefined) {
      prune(value[key], sub, path.child(key), pruned);
    } else {
      pruned.push(path.child(key).toString());
      delete value[key];
    }
  }
}

/**
 * Below x-kubernetes-preserve-unknown-fields unknown fields stay, but declared sub-schemas
 * may themselves prune (a preserved object can declare a strict child).
 */
function pruneDeclaredOnly(value: unknown, schema: JSONSchemaProps, path: FieldPath, pruned: string[]): void {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return;
    value.forEach((item, i) => pruneDeclaredOnly(item, items, path.index(i), pruned));
    return;
  }
  if (!isJsonMap(value)) return;
  for (const key of Object.keys(value)) {
    if (isEmbeddedResource(schema) && META_FIELDS.has(key)) continue;
    const sub = propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
    if (sub !== undefined) prune(value[key], sub, path.child(key), pruned);
  }
}
