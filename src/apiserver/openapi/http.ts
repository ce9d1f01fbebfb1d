// HTTP semantics of the OpenAPI endpoints, as upstream's kube-openapi handlers answer:
// quoted ETag, 304 on If-None-Match, and for hash-pinned v3 URLs either a 301 to the
// current hash or "Cache-Control: public, immutable" with a one-year Expires.
import { openApiDocument, openApiIndex, computeETag } from './openapi-v3.js';
import { openApiV2Document, openApiV2Protobuf } from './openapi-v2.js';

export interface OpenApiHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** True when the Accept header admits JSON (the v3 documents are served as JSON only). */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept || accept.trim() === '') return true;
  return mediaTypes(accept).some((type) => type === '*/*' || type === 'application/*' || type === 'application/json');
}

function mediaTypes(accept: string): string[] {
  return accept.split(',').map((clause) => clause.split(';')[0]!.trim().toLowerCase());
}

/** The v2 protobuf media type clients ask for, and the spelling answers carry: Go's mime
 * parser rejects the "@", so upstream replies with the dotted form. */
const OPENAPI_V2_PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Which encoding of /openapi/v2 the client asked for first, if any we serve. */
function v2Encoding(accept: string | undefined): 'json' | 'protobuf' | undefined {
  if (!accept || accept.trim() === '') return 'json';
  for (const type of mediaTypes(accept)) {
    if (type === OPENAPI_V2_PROTOBUF_ACCEPT || type === OPENAPI_V2_PROTOBUF) return 'protobuf';
    if (type === '*/*' || type === 'application/*' || type === 'application/json') return 'json';
  }
  return undefined;
}

function notModifiedOr(status: number, etag: string, ifNoneMatch: string | undefined, headers: Record<string, string>, body: Buffer): OpenApiHttpResponse {
  const quoted = JSON.stringify(etag);
  headers.Etag = quoted;
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === quoted || tag.trim() === '*')) {
    return { status: 304, headers, body: EMPTY };
  }
  headers['Content-Length'] = String(body.length);
  return { status, headers, body };
}

let indexBytes: { body: Buffer; etag: string } | undefined;

/**
 * Answers GET /openapi/v3, /openapi/v3/<path> and /openapi/v2; undefined for any other path
 * (so the caller can fall through to its own 404). `query` is the request's search params.
 */
export function serveOpenApi(
  pathname: string,
  query: URLSearchParams,
  requestHeaders: { accept?: string; ifNoneMatch?: string },
): OpenApiHttpResponse | undefined {
  if (pathname === '/openapi/v2') {
    const encoding = v2Encoding(requestHeaders.accept);
    if (!encoding) return { status: 406, headers: {}, body: EMPTY };
    const document = encoding === 'protobuf' ? openApiV2Protobuf() : openApiV2Document();
    const contentType = encoding === 'protobuf' ? OPENAPI_V2_PROTOBUF : 'application/json';
    return notModifiedOr(200, document.etag, requestHeaders.ifNoneMatch, { 'Content-Type': contentType, Vary: 'Accept' }, document.body);
  }
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') {
    indexBytes ??= (() => {
      const body = Buffer.from(JSON.stringify(openApiIndex()));
      return { body, etag: computeETag(body) };
    })();
    return notModifiedOr(200, indexBytes.etag, requestHeaders.ifNoneMatch, { 'Content-Type': 'application/json' }, indexBytes.body);
  }
  if (!pathname.startsWith('/openapi/v3/')) return undefined;
  const key = pathname.slice('/openapi/v3/'.length);
  const document = openApiDocument(key);
  if (!document) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('404 page not found\n') };
  const headers: Record<string, string> = { Vary: 'Accept' };
  if (!acceptsJson(requestHeaders.accept)) return { status: 406, headers, body: EMPTY };
  headers['Content-Type'] = 'application/json';
  const hash = query.get('hash');
  if (hash) {
    if (hash !== document.etag) {
      const location = `/openapi/v3/${key}?hash=${document.etag}`;
      return { status: 301, headers: { ...headers, Location: location, Etag: JSON.stringify(document.etag) }, body: EMPTY };
    }
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = oneYearFromNow();
  }
  return notModifiedOr(200, document.etag, requestHeaders.ifNoneMatch, headers, document.body);
}

/** RFC 1123 date one year ahead, as Go's time.RFC1123 prints it ("Mon, 02 Jan 2006 15:04:05 UTC"). */
function oneYearFromNow(): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toUTCString().replace('GMT', 'UTC');
}
