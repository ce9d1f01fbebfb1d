// Swagger 2.0 (/openapi/v2) built from the same documents as v3: one spec with every path,
// definitions instead of components, and the v3-only constructs lowered (allOf wrappers of
// a single $ref, oneOf scalars, request bodies).
import { createHash } from 'node:crypto';
import { documentBuilders, KUBERNETES_VERSION } from './documents.js';
import { encodeSwaggerDocument } from './openapi-v2-proto.js';
import { SCHEMA_REF_PREFIX, referencedSchemaNames, schemaStore, type JsonSchema } from './schema-store.js';

const V2_REF_PREFIX = '#/definitions/';

/** Schema rewritten for Swagger 2.0. */
export function toV2Schema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toV2Schema);
  if (value === null || typeof value !== 'object') return value;
  const schema = value as JsonSchema;
  const allOf = schema.allOf;
  // {allOf: [{$ref}], description} is how v3 documents a reference; v2 allows $ref siblings.
  if (Array.isArray(allOf) && allOf.length === 1 && typeof (allOf[0] as JsonSchema).$ref === 'string') {
    const { allOf: _ignored, ...rest } = schema;
    return toV2Schema({ ...rest, $ref: (allOf[0] as JsonSchema).$ref });
  }
  const out: JsonSchema = {};
  for (const [key, child] of Object.entries(schema)) {
    if (key === '$ref' && typeof child === 'string') out[key] = child.replace(SCHEMA_REF_PREFIX, V2_REF_PREFIX);
    else if (key === 'oneOf' && !('type' in schema)) {
      // IntOrString and Quantity: v2 spells them as strings (IntOrString with its format).
      out.type = 'string';
    } else out[key] = toV2Schema(child);
  }
  return out;
}

function toV2Parameter(param: JsonSchema): JsonSchema {
  const { schema, ...rest } = param as { schema?: JsonSchema } & JsonSchema;
  return { ...rest, ...(schema ?? {}) };
}

function toV2Operation(op: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  const consumes = new Set<string>();
  const produces = new Set<string>();
  const parameters: JsonSchema[] = ((op.parameters as JsonSchema[] | undefined) ?? []).map(toV2Parameter);
  const body = op.requestBody as { content?: Record<string, { schema: JsonSchema }>; required?: boolean } | undefined;
  if (body?.content) {
    const [first] = Object.values(body.content);
    Object.keys(body.content).forEach((type) => consumes.add(type));
    const bodyParam: JsonSchema = { name: 'body', in: 'body', schema: toV2Schema(first?.schema ?? {}) };
    if (body.required) bodyParam.required = true;
    parameters.unshift(bodyParam);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [code, response] of Object.entries((op.responses as Record<string, JsonSchema>) ?? {})) {
    const content = response.content as Record<string, { schema: JsonSchema }> | undefined;
    const entry: JsonSchema = { description: response.description };
    if (content) {
      Object.keys(content).forEach((type) => produces.add(type));
      const [first] = Object.values(content);
      if (first) entry.schema = toV2Schema(first.schema);
    }
    responses[code] = entry;
  }
  for (const [key, value] of Object.entries(op)) {
    if (key === 'parameters' || key === 'requestBody' || key === 'responses') continue;
    out[key] = value;
  }
  if (consumes.size > 0) out.consumes = [...consumes];
  if (produces.size > 0) out.produces = [...produces];
  out.schemes = ['https'];
  if (parameters.length > 0) out.parameters = parameters;
  out.responses = responses;
  return out;
}

let cachedSpec: JsonSchema | undefined;
let cachedJson: { body: Buffer; etag: string } | undefined;
let cachedProtobuf: { body: Buffer; etag: string } | undefined;

/** The whole Swagger 2.0 spec as an object (memoised). */
export function openApiV2Spec(): JsonSchema {
  if (cachedSpec) return cachedSpec;
  const v3Paths: Record<string, JsonSchema> = {};
  for (const build of documentBuilders().values()) Object.assign(v3Paths, build().paths);
  const { schemas } = schemaStore();
  const names = [...referencedSchemaNames(v3Paths, schemas)].sort();
  const paths: Record<string, JsonSchema> = {};
  {
    for (const [path, item] of Object.entries(v3Paths)) {
      const v2Item: JsonSchema = {};
      for (const [key, value] of Object.entries(item)) {
        if (key === 'parameters') v2Item.parameters = (value as JsonSchema[]).map(toV2Parameter);
        else v2Item[key] = toV2Operation(value as JsonSchema);
      }
      paths[path] = v2Item;
    }
  }
  const spec = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths: Object.fromEntries(Object.keys(paths).sort().map((k) => [k, toV2Schema(paths[k]) as JsonSchema])),
    definitions: Object.fromEntries(names.map((name) => [name, toV2Schema(schemas[name]!)])),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
  cachedSpec = spec;
  return spec;
}

/** The Swagger 2.0 spec as JSON, with its ETag (upper-case hex SHA-512 of the JSON). */
export function openApiV2Document(): { body: Buffer; etag: string } {
  if (cachedJson) return cachedJson;
  const body = Buffer.from(JSON.stringify(openApiV2Spec()));
  cachedJson = { body, etag: createHash('sha512').update(body).digest('hex').toUpperCase() };
  return cachedJson;
}

/** The same spec as gnostic protobuf (what kubectl <= 1.28 asks for); shares the JSON's ETag. */
export function openApiV2Protobuf(): { body: Buffer; etag: string } {
  if (cachedProtobuf) return cachedProtobuf;
  cachedProtobuf = { body: encodeSwaggerDocument(openApiV2Spec()), etag: openApiV2Document().etag };
  return cachedProtobuf;
}

export function resetOpenApiV2Cache(): void {
  cachedSpec = undefined;
  cachedJson = undefined;
  cachedProtobuf = undefined;
}
