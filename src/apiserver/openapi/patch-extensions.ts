// Adds x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key to the component schemas,
// from the same patch metadata the server's strategic merge patch uses. kubectl reads them
// when it computes client-side apply patches, so containers merge by name, ports by
// containerPort, and so on.
// TODO: x-kubernetes-list-type / x-kubernetes-list-map-keys need upstream's +listType tags,
// which neither kubernetes-models nor src/api/patch carries yet.
import { patchSchemaFor } from '../../api/patch/patch-metadata.js';
import type { PatchSchema } from '../../api/patch/patch-schema.js';
import { SCHEMA_REF_PREFIX, type JsonSchema } from './schema-store.js';

type Schemas = Record<string, JsonSchema>;

function referencedName(schema: JsonSchema): string | undefined {
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (ref?.startsWith(SCHEMA_REF_PREFIX)) return ref.slice(SCHEMA_REF_PREFIX.length);
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) return referencedName(allOf[0] as JsonSchema);
  return undefined;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decorates whatever a property schema points at: a named schema, list items or map values. */
function decorateTarget(schemas: Schemas, schema: JsonSchema, patch: PatchSchema, seen: Set<string>): void {
  if (isObject(schema.items)) return decorateTarget(schemas, schema.items, patch, seen);
  if (isObject(schema.additionalProperties) && patch.values) {
    return decorateTarget(schemas, schema.additionalProperties, patch.values, seen);
  }
  const name = referencedName(schema);
  if (name) decorateNamed(schemas, name, patch, seen);
}

function decorateNamed(schemas: Schemas, name: string, patch: PatchSchema, seen: Set<string>): void {
  const schema = schemas[name];
  const properties = schema?.properties;
  if (!isObject(properties)) return;
  for (const [field, meta] of Object.entries(patch.fields ?? {})) {
    const property = properties[field];
    if (!isObject(property)) continue;
    if (meta.strategy) property['x-kubernetes-patch-strategy'] = meta.strategy;
    if (meta.mergeKey) property['x-kubernetes-patch-merge-key'] = meta.mergeKey;
    const key = `${name}.${field}`;
    if (meta.schema && !seen.has(key)) {
      seen.add(key);
      decorateTarget(schemas, property, meta.schema, seen);
    }
  }
}

/**
 * Mutates `schemas` in place; `kindSchemas` maps "group/version/Kind" to schema names.
 * Go struct tags are per type, so decorating a shared schema (PodSpec) once is right for all users.
 */
export function addPatchExtensions(schemas: Schemas, kindSchemas: ReadonlyMap<string, string>): void {
  const seen = new Set<string>();
  for (const [gvk, name] of kindSchemas) {
    const [group = '', , kind = ''] = gvk.split('/');
    const patch = patchSchemaFor(group, kind);
    if (patch) decorateNamed(schemas, name, patch, seen);
  }
}
