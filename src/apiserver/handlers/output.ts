// Content negotiation for object responses: plain JSON, or a meta.k8s.io Table when kubectl asks
// for server-side printing (Accept: application/json;as=Table;v=v1;g=meta.k8s.io, ...).
import { badRequest, notAcceptable } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { buildTable, parseIncludeObject, printerFor } from '../../api/printers/index.js';
import type { CachedObject } from '../watchcache/watch-cache.js';
import type { Endpoint } from './context.js';

export type Representation = { kind: 'json' } | { kind: 'table'; includeObject: 'None' | 'Metadata' | 'Object' } | { kind: 'yaml' };

/**
 * Accept headers already answered with JSON or YAML. Those answers depend on the header alone
 * (a Table answer also depends on the query, and is never kept); clients send very few distinct
 * headers, the bound only stops a hostile client growing the map.
 */
const plainAnswers = new Map<string, Representation>();
const plainAnswersMax = 64;

/** Picks the first representation in the Accept header that k8ts can produce. */
export function negotiate(accept: string | undefined, query: URLSearchParams): Representation {
  if (!accept) return { kind: 'json' };
  const known = plainAnswers.get(accept);
  if (known) return { ...known };
  const answer = parseAccept(accept, query);
  if (answer.kind !== 'table' && plainAnswers.size < plainAnswersMax) plainAnswers.set(accept, { ...answer });
  return answer;
}

function parseAccept(accept: string, query: URLSearchParams): Representation {
  for (const clause of accept.split(',')) {
    const [type, ...params] = clause.split(';').map((part) => part.trim());
    const attrs = new Map(params.map((param) => param.split('=').map((s) => s.trim()) as [string, string]));
    if (attrs.get('as') === 'Table') {
      if (attrs.get('g') !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(attrs.get('v') ?? '')) continue;
      const includeObject = parseIncludeObject(query.get('includeObject'));
      if (!includeObject) throw badRequest(`includeObject: Unsupported value: "${query.get('includeObject')}": supported values: "Metadata", "None", "Object"`);
      return { kind: 'table', includeObject };
    }
    if (attrs.get('as')) continue; // PartialObjectMetadata and others are not served yet
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return { kind: 'json' };
    if (type === 'application/yaml') return { kind: 'yaml' };
    if (type === 'application/vnd.kubernetes.protobuf') continue;
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
}

/** The object as the client's version sees it. */
export function served(endpoint: Endpoint, cached: CachedObject): KubeObject {
  return endpoint.identity ? cached.object : endpoint.fromStorage(structuredClone(cached.object));
}

export function servedJson(endpoint: Endpoint, cached: CachedObject): string {
  return endpoint.identity ? cached.json : JSON.stringify(endpoint.fromStorage(structuredClone(cached.object)));
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A List built by joining cached JSON, so a 10,000-item list costs one concatenation. */
export function listJson(endpoint: Endpoint, items: CachedObject[], meta: ListMeta): string {
  const listMeta: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue) listMeta.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) listMeta.remainingItemCount = meta.remainingItemCount;
  const head = `{"kind":${JSON.stringify(endpoint.info.kind + 'List')},"apiVersion":${JSON.stringify(endpoint.apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`;
  return head + items.map((item) => servedJson(endpoint, item)).join(',') + ']}';
}

export function tableOf(endpoint: Endpoint, objects: KubeObject[], includeObject: 'None' | 'Metadata' | 'Object', meta?: ListMeta): object {
  const printer = endpoint.printer ?? printerFor(endpoint.info.group, endpoint.info.kind);
  return buildTable(printer, objects, { includeObject, now: new Date(), resourceVersion: meta?.resourceVersion, continue: meta?.continue, remainingItemCount: meta?.remainingItemCount });
}
