// Reading request bodies: bounded in size, decoded from JSON or YAML, with upstream's errors.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, StatusError } from '../../api/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../api/protobuf/index.js';

/** Upstream's limit on a request body (3 MiB). */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/**
 * Reads the whole body. Plain 'data'/'end' listeners rather than `for await`: the async iterator
 * costs more than the JSON decoding of a small body, and every write reads one.
 */
export function readBody(request: IncomingMessage, limitBytes = maxRequestBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limitBytes) return Promise.reject(requestEntityTooLarge('limit is 3145728'));
  // Read already: 'end' will not fire again, and `for await` would have found nothing either.
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limitBytes) {
        done();
        // As leaving a `for await` loop early does: the rest of the body is not read.
        request.destroy();
        reject(requestEntityTooLarge('limit is 3145728'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

/** Bodies nested deeper than this are refused before anything walks them recursively. */
export const maxBodyNestingDepth = 1_000;

/**
 * Whether anything sits `limit` or more levels below `value`. Recursion stops at the limit, so
 * a hostile body cannot exhaust the stack here either; no allocation per visited value, as
 * every write body passes through it.
 */
function nestingDepthExceeds(value: unknown, limit: number, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= limit) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestingDepthExceeds(value[i], limit, depth + 1)) return true;
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) if (nestingDepthExceeds(object[key], limit, depth + 1)) return true;
  return false;
}

/**
 * JSON text shorter than this cannot nest `maxBodyNestingDepth` levels: every level takes an
 * opening and a closing bracket. Most write bodies are below it and skip the walk.
 */
const shortestTooDeepJson = 2 * maxBodyNestingDepth;

function checkDepth<T>(value: T): T {
  if (nestingDepthExceeds(value, maxBodyNestingDepth)) throw badRequest(`the request body is nested more than ${maxBodyNestingDepth} levels deep`);
  return value;
}

/** The media type without parameters, lower-cased: "application/json". */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes a body as JSON, or YAML for yaml media types (a JSON document is valid YAML too). */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  // kubectl's typed clients (create <kind>, autoscale, certificate approve) send protobuf.
  if (isKubernetesProtobuf(contentType)) return decodeKubernetesProtobuf(body);
  return decodeText(body.toString('utf8'), contentType);
}

/** decodeBody for a body already read as text (not protobuf), for callers that look at the text too. */
export function decodeText(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  if (mediaType(contentType).includes('yaml')) {
    try {
      return checkDepth(parseYaml(text, { maxAliasCount: 100 }));
    } catch (error) {
      throw badRequest(`error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StatusError(400, 'BadRequest', `couldn't get version/kind; json parse error: ${describeJsonError(error as Error)}`);
  }
  return text.length < shortestTooDeepJson ? parsed : checkDepth(parsed);
}

function describeJsonError(error: Error): string {
  return error.message.replace(/^JSON\.parse: /, '');
}
