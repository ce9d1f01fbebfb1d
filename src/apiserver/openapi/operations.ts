// Building blocks of one OpenAPI operation: responses, request bodies, vendor extensions.
import type { ParameterObject } from './parameters.js';
import { schemaRef, type JsonSchema } from './schema-store.js';

export type Operation = { [key: string]: unknown };
export type PathItem = { [method: string]: unknown; parameters?: ParameterObject[] };

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const OBJECT_CONTENT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_CONTENT_TYPES = [
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];
/** Every patch flavour the server accepts; kubectl picks the body encoding from these. */
export const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

export const STATUS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const DELETE_OPTIONS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const WATCH_EVENT_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';
export const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

function schemaOf(name: string | undefined): JsonSchema {
  return name ? schemaRef(name) : { type: 'object' };
}

function content(types: readonly string[], schema: JsonSchema): Record<string, { schema: JsonSchema }> {
  return Object.fromEntries(types.map((type) => [type, { schema }]));
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };

/** Responses with the same body for each success code, plus 401. */
export function responses(codes: readonly number[], schemaName: string | undefined, watchStream = false): Record<string, unknown> {
  const types = watchStream ? [...OBJECT_CONTENT_TYPES, ...WATCH_CONTENT_TYPES] : OBJECT_CONTENT_TYPES;
  const result: Record<string, unknown> = {};
  for (const code of codes) {
    result[String(code)] = { description: STATUS_TEXT[code] ?? 'OK', content: content(types, schemaOf(schemaName)) };
  }
  result['401'] = { description: 'Unauthorized' };
  return result;
}

/** Responses of a watch: a stream of WatchEvent. */
export function watchResponses(): Record<string, unknown> {
  return {
    '200': { description: 'OK', content: content([...OBJECT_CONTENT_TYPES, ...WATCH_CONTENT_TYPES], schemaRef(WATCH_EVENT_SCHEMA)) },
    '401': { description: 'Unauthorized' },
  };
}

/** Plain-text answers (pod logs, proxies, exec). */
export function textResponses(): Record<string, unknown> {
  return {
    '200': { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } },
    '401': { description: 'Unauthorized' },
  };
}

export function objectRequestBody(schemaName: string | undefined, required = true): Record<string, unknown> {
  const body: Record<string, unknown> = { content: { '*/*': { schema: schemaOf(schemaName) } } };
  if (required) body.required = true;
  return body;
}

export function patchRequestBody(): Record<string, unknown> {
  return { content: content(PATCH_CONTENT_TYPES, schemaRef(PATCH_SCHEMA)), required: true };
}

export function operation(fields: {
  tag: string;
  description: string;
  operationId: string;
  action: string;
  gvk: Gvk;
  parameters?: readonly ParameterObject[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
}): Operation {
  const op: Operation = {
    tags: [fields.tag],
    description: fields.description,
    operationId: fields.operationId,
  };
  if (fields.parameters && fields.parameters.length > 0) op.parameters = [...fields.parameters];
  if (fields.requestBody) op.requestBody = fields.requestBody;
  op.responses = fields.responses;
  op['x-kubernetes-action'] = fields.action;
  op['x-kubernetes-group-version-kind'] = { group: fields.gvk.group, version: fields.gvk.version, kind: fields.gvk.kind };
  return op;
}
