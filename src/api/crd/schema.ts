// The JSONSchemaProps shape a CRD carries in spec.versions[].schema.openAPIV3Schema, as the
// plain JSON the API server stores, plus the small lookups pruning, defaulting and validation
// share. The schema is assumed structural (another module validates CRDs).

export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  properties?: Record<string, JSONSchemaProps>;
  /** A schema, or a boolean (structural schemas never use `false` together with properties). */
  additionalProperties?: JSONSchemaProps | boolean;
  /** Structural schemas only allow a single schema here, never a tuple. */
  items?: JSONSchemaProps;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map' | string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'granular' | 'atomic' | string;
  /** CEL rules: carried, never evaluated here. */
  'x-kubernetes-validations'?: unknown[];
}

export type JsonMap = { [key: string]: unknown };

export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function propertySchema(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined {
  const props = schema.properties;
  return props !== undefined && Object.hasOwn(props, key) ? props[key] : undefined;
}

/**
 * The structural view of additionalProperties: a schema when one is given. `true` means
 * "any value" with no schema underneath, which prunes like an empty schema.
 */
export function additionalPropertiesSchema(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  const ap = schema.additionalProperties;
  if (ap === undefined || ap === false) return undefined;
  return ap === true ? {} : ap;
}

/** The schema governing a map key: a declared property first, else additionalProperties. */
export function fieldSchema(schema: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  if (schema === undefined) return undefined;
  return propertySchema(schema, key) ?? additionalPropertiesSchema(schema);
}

export const preservesUnknownFields = (s: JSONSchemaProps | undefined): boolean => s?.['x-kubernetes-preserve-unknown-fields'] === true;
export const isEmbeddedResource = (s: JSONSchemaProps | undefined): boolean => s?.['x-kubernetes-embedded-resource'] === true;
export const isIntOrString = (s: JSONSchemaProps | undefined): boolean => s?.['x-kubernetes-int-or-string'] === true;

/** apiVersion, kind and metadata: never pruned at a resource root or inside an embedded resource. */
export const META_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

/** JSON-equality, used for enums, defaults and list-type sets. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonMap(a) && isJsonMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A canonical key for a JSON value (object keys sorted), like upstream's json.Marshal of maps. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonMap(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
