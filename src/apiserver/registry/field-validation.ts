// Unknown fields, as upstream's decoder treats them: a typed object silently drops fields its Go
// struct does not have; with fieldValidation=Strict (kubectl's default) they are an error, with
// Warn a warning. k8ts reads the declared fields from the generated OpenAPI schemas.
import { badRequest } from '../../api/errors.js';
import { isJsonObject, type KubeObject } from '../../api/object.js';
import { SCHEMA_REF_PREFIX, schemaNameForKind, schemaStore, type JsonSchema } from '../openapi/schema-store.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Unknown fields reported per request; more are summarised, as the message must stay readable. */
const maxReportedFields = 50;
/** Objects nested deeper than this are not walked (API objects are far shallower). */
const maxDepth = 64;

function resolve(schema: JsonSchema | undefined, schemas: Readonly<Record<string, JsonSchema>>): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current && hops < 8; hops++) {
    const ref = current.$ref;
    if (typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX)) {
      current = schemas[ref.slice(SCHEMA_REF_PREFIX.length)];
      continue;
    }
    const allOf = current.allOf;
    if (Array.isArray(allOf) && allOf.length === 1 && isJsonObject(allOf[0])) {
      current = allOf[0] as JsonSchema;
      continue;
    }
    return current;
  }
  return current;
}

function walk(value: unknown, schema: JsonSchema | undefined, path: string, depth: number, schemas: Readonly<Record<string, JsonSchema>>, unknown: string[]): void {
  const resolved = resolve(schema, schemas);
  if (!resolved || depth > maxDepth || resolved['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    const items = isJsonObject(resolved.items) ? (resolved.items as JsonSchema) : undefined;
    if (items) value.forEach((item, i) => walk(item, items, `${path}[${i}]`, depth + 1, schemas, unknown));
    return;
  }
  if (!isJsonObject(value)) return;
  const properties = isJsonObject(resolved.properties) ? (resolved.properties as Record<string, JsonSchema>) : undefined;
  const additional = isJsonObject(resolved.additionalProperties) ? (resolved.additionalProperties as JsonSchema) : undefined;
  if (!properties) {
    // A map: walk its values. An object with neither properties nor a value schema is free-form.
    if (additional) for (const [key, item] of Object.entries(value)) walk(item, additional, `${path}[${key}]`, depth + 1, schemas, unknown);
    return;
  }
  for (const key of Object.keys(value)) {
    const child = path === '' ? key : `${path}.${key}`;
    const property = properties[key];
    if (property === undefined) {
      unknown.push(child);
      delete value[key];
      continue;
    }
    walk(value[key], property, child, depth + 1, schemas, unknown);
  }
}

/**
 * Removes fields the kind does not declare and returns their paths ("spec.replica",
 * "spec.template.spec.containers[0].imagee"). Kinds without a schema are left as they are.
 */
export function pruneUnknownFields(obj: KubeObject, group: string, version: string, kind: string): string[] {
  const name = schemaNameForKind(group, version, kind);
  if (!name) return [];
  const { schemas } = schemaStore();
  const unknown: string[] = [];
  walk(obj, schemas[name], '', 0, schemas, unknown);
  return unknown;
}

export function parseFieldValidation(text: string | null): FieldValidation {
  if (text === null || text === '') return 'Warn';
  if (text === 'Ignore' || text === 'Warn' || text === 'Strict') return text;
  throw badRequest(`fieldValidation: Unsupported value: "${text}": supported values: "Ignore", "Strict", "Warn"`);
}

/**
 * Applies the request's fieldValidation to a decoded body: Strict fails with upstream's 400,
 * Warn returns the warnings to send, Ignore drops silently.
 */
export function checkUnknownFields(
  obj: KubeObject,
  target: { group: string; version: string; kind: string },
  mode: FieldValidation,
  prune: (obj: KubeObject) => string[] = (o) => pruneUnknownFields(o, target.group, target.version, target.kind),
): string[] {
  const unknown = prune(obj);
  if (unknown.length === 0 || mode === 'Ignore') return [];
  const shown = unknown.slice(0, maxReportedFields).map((path) => `unknown field "${path}"`);
  if (unknown.length > maxReportedFields) shown.push(`and ${unknown.length - maxReportedFields} more unknown fields`);
  if (mode === 'Strict') {
    throw badRequest(`${target.kind} in version "${target.version}" cannot be handled as a ${target.kind}: strict decoding error: ${shown.join(', ')}`);
  }
  return shown;
}
