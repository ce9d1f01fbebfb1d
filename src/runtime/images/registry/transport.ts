// HTTP(S) to registries over node:http/https, so a registry's own CA (a file) can be trusted
// without touching the process-wide trust store. Redirects are followed (blob downloads are
// usually redirected to object storage), dropping credentials when the host changes.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

/** Blob GETs redirect to storage, which may redirect once more; more is a loop. */
export const redirectLimit = 5;
/** A registry that accepts a connection and then says nothing is dead. */
export const requestIdleTimeoutMs = 60_000;
/** Error bodies and manifests are read whole; bigger ones are a misbehaving server. */
export const documentMaxBytes = 8 << 20;

export interface TransportOptions {
  /** PEM certificates to trust in addition to the system's. */
  ca?: Buffer[];
  /** Skip certificate verification (an insecure registry served over HTTPS). */
  skipVerify?: boolean;
}

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: OutgoingHttpHeaders;
  body?: Buffer | (() => AsyncIterable<Buffer | Uint8Array>);
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  url: URL;
  body: IncomingMessage;
}

function once(request: HttpRequest, options: TransportOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = request.url.protocol === 'https:';
    const send = isHttps ? httpsRequest : httpRequest;
    const req = send(request.url, {
      method: request.method,
      headers: request.headers,
      ...(isHttps ? { ca: options.ca && options.ca.length > 0 ? [...(options.ca.map(String)), ...(tlsRootCertificates())] : undefined, rejectUnauthorized: !options.skipVerify } : {}),
    });
    req.setTimeout(requestIdleTimeoutMs, () => req.destroy(new Error(`${request.method} ${request.url.href}: no answer within ${requestIdleTimeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, url: request.url, body: res }));
    const body = request.body;
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else Readable.from(body()).once('error', (error) => req.destroy(error)).pipe(req);
  });
}

/** Passing `ca` replaces Node's bundled roots; keep them, so a CA file adds trust rather than replacing it. */
function tlsRootCertificates(): readonly string[] {
  return rootCertificates;
}

/** One request, following redirects; the caller consumes or discards the body. */
export async function send(request: HttpRequest, options: TransportOptions): Promise<HttpResponse> {
  let current = request;
  for (let hop = 0; ; hop++) {
    const response = await once(current, options);
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || !location || (current.method !== 'GET' && current.method !== 'HEAD')) return response;
    response.body.resume();
    if (hop >= redirectLimit) throw new Error(`${request.method} ${request.url.href}: more than ${redirectLimit} redirects`);
    const next = new URL(location, current.url);
    const headers = { ...current.headers };
    // Object storage takes the signature in the URL; our registry token is not for it.
    if (next.host !== current.url.host) delete headers.authorization;
    current = { ...current, url: next, headers };
  }
}

export async function readBody(response: HttpResponse, limitBytes = documentMaxBytes): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limitBytes) {
      response.body.destroy();
      throw new Error(`${response.url.href}: response larger than ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
