// Reading request bodies: bounded in size, decoded from JSON or YAML, with upstream's errors.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, StatusError } from '../../api/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../api/protobuf/index.js';

/** Upstream's limit on a request body (3 MiB). */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

export async function readBody(request: IncomingMessage, limitBytes = maxRequestBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw requestEntityTooLarge('limit is 3145728');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limitBytes) throw requestEntityTooLarge('limit is 3145728');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Bodies nested deeper than this are refused before anything walks them recursively. */
export const maxBodyNestingDepth = 1_000;

/** Iterative depth check, so a hostile body cannot exhaust the stack of later recursive code. */
function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

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
  const type = mediaType(contentType);
  // kubectl's typed clients (create <kind>, autoscale, certificate approve) send protobuf.
  if (isKubernetesProtobuf(contentType)) return decodeKubernetesProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  if (type.includes('yaml')) {
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
  return checkDepth(parsed);
}

function describeJsonError(error: Error): string {
  return error.message.replace(/^JSON\.parse: /, '');
}
