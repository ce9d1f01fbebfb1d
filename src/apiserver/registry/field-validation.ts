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

/**
 * What the walk needs from one schema, worked out once per schema object: resolving $refs and
 * checking shapes on every visited field was most of the cost of a write's field check.
 */
interface Shape {
  /** Nothing below is checked (no schema, x-kubernetes-preserve-unknown-fields, free-form object). */
  free: boolean;
  items: JsonSchema | undefined;
  properties: Record<string, JsonSchema> | undefined;
  additional: JsonSchema | undefined;
}

const freeShape: Shape = { free: true, items: undefined, properties: undefined, additional: undefined };

/** Keyed by the schema object itself, so a reloaded schema store (tests) gets fresh shapes. */
const shapes = new WeakMap<JsonSchema, Shape>();

function shapeOf(schema: JsonSchema | undefined, schemas: Readonly<Record<string, JsonSchema>>): Shape {
  if (!schema) return freeShape;
  let shape = shapes.get(schema);
  if (shape) return shape;
  const resolved = resolve(schema, schemas);
  if (!resolved || resolved['x-kubernetes-preserve-unknown-fields'] === true) {
    shape = freeShape;
  } else {
    shape = {
      free: false,
      items: isJsonObject(resolved.items) ? (resolved.items as JsonSchema) : undefined,
      properties: isJsonObject(resolved.properties) ? (resolved.properties as Record<string, JsonSchema>) : undefined,
      additional: isJsonObject(resolved.additionalProperties) ? (resolved.additionalProperties as JsonSchema) : undefined,
    };
  }
  shapes.set(schema, shape);
  return shape;
}

/**
 * The path from the root to the field being walked: property names, list indexes and map keys.
 * Formatted only when an unknown field is found, as almost every write has none.
 */
class FieldPath {
  private readonly segments: (string | number)[] = [];
  /** True where the segment is a map key, written "[key]" like a list index. */
  private readonly mapKeys: boolean[] = [];

  get depth(): number {
    return this.segments.length;
  }

  push(segment: string | number, mapKey: boolean): void {
    this.segments.push(segment);
    this.mapKeys.push(mapKey);
  }

  pop(): void {
    this.segments.pop();
    this.mapKeys.pop();
  }

  /** "spec.template.spec.containers[0].imagee", "metadata.labels[app]". */
  format(): string {
    let text = '';
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      if (typeof segment === 'number' || this.mapKeys[i]) text += `[${segment}]`;
      else text += text === '' ? segment : `.${segment}`;
    }
    return text;
  }
}

function walk(value: unknown, schema: JsonSchema | undefined, path: FieldPath, schemas: Readonly<Record<string, JsonSchema>>, unknown: string[]): void {
  if (value === null || typeof value !== 'object' || path.depth > maxDepth) return;
  const shape = shapeOf(schema, schemas);
  if (shape.free) return;
  if (Array.isArray(value)) {
    const items = shape.items;
    if (!items) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i, false);
      walk(value[i], items, path, schemas, unknown);
      path.pop();
    }
    return;
  }
  const object = value as Record<string, unknown>;
  const properties = shape.properties;
  if (!properties) {
    // A map: walk its values. An object with neither properties nor a value schema is free-form.
    const additional = shape.additional;
    if (!additional) return;
    for (const key of Object.keys(object)) {
      path.push(key, true);
      walk(object[key], additional, path, schemas, unknown);
      path.pop();
    }
    return;
  }
  for (const key of Object.keys(object)) {
    const property = properties[key];
    path.push(key, false);
    if (property === undefined) {
      unknown.push(path.format());
      delete object[key];
    } else {
      walk(object[key], property, path, schemas, unknown);
    }
    path.pop();
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
  walk(obj, schemas[name], new FieldPath(), schemas, unknown);
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
