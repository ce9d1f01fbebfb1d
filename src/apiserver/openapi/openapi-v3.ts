// What /openapi/v3 serves: the index of documents and each document's bytes with its ETag.
// Everything is built on first request and memoised; nothing runs at server start.
import { createHash } from 'node:crypto';
import { documentBuilders, type OpenApiV3Document } from './documents.js';

export interface SerializedDocument {
  body: Buffer;
  /** Upstream's ETag value, unquoted: upper-case hex SHA-512 of the body. */
  etag: string;
}

let builders: Map<string, () => OpenApiV3Document> | undefined;
const serialized = new Map<string, SerializedDocument>();
let index: { paths: Record<string, { serverRelativeURL: string }> } | undefined;

export function computeETag(body: Buffer): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

function allBuilders(): Map<string, () => OpenApiV3Document> {
  builders ??= documentBuilders();
  return builders;
}

/**
 * The serialised document for an index path such as "apis/apps/v1", "api/v1" or "version"
 * (with or without a leading "/openapi/v3/"), or undefined when none is served there.
 */
export function openApiDocument(groupVersionPath: string): SerializedDocument | undefined {
  const key = groupVersionPath.replace(/^\/?(openapi\/v3\/)?/, '').replace(/\/$/, '');
  const cached = serialized.get(key);
  if (cached) return cached;
  const build = allBuilders().get(key);
  if (!build) return undefined;
  const body = Buffer.from(JSON.stringify(build()));
  const document = { body, etag: computeETag(body) };
  serialized.set(key, document);
  return document;
}

/** The /openapi/v3 index: every document path with its hash-pinned URL. */
export function openApiIndex(): { paths: Record<string, { serverRelativeURL: string }> } {
  if (index) return index;
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of [...allBuilders().keys()].sort()) {
    const document = openApiDocument(key)!;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${document.etag}` };
  }
  index = { paths };
  return index;
}

/** Forgets every built document (tests; or after the served resources change). */
export function resetOpenApiCache(): void {
  builders = undefined;
  serialized.clear();
  index = undefined;
}
