// Turns a URL path and method into what upstream calls RequestInfo: which resource, which verb.
//   /api/v1/namespaces/{ns}/pods/{name}/status      -> core v1 pods, subresource status
//   /apis/apps/v1/namespaces/{ns}/deployments      -> apps v1 deployments (list or create)
//   /api/v1/watch/namespaces/{ns}/pods             -> legacy watch path
export interface ResourceRequest {
  kind: 'resource';
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the subresource (nodes/proxy/<path>, pods/log has none). */
  rest: string[];
}

export interface NonResourceRequest {
  kind: 'nonresource';
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const namespaceSubresources = new Set(['status', 'finalize']);
const methodVerbs: Record<string, ResourceRequest['verb']> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The non-empty segments of a path, percent-decoded (decoding only where there is a "%"). */
function pathSegments(path: string): string[] {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '') continue;
    parts.push(part.includes('%') ? decodeURIComponent(part) : part);
  }
  return parts;
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = pathSegments(path);
  const nonResource = (): NonResourceRequest => ({ kind: 'nonresource', verb: method.toLowerCase(), path });
  let rest: string[];
  let group: string;
  if (parts[0] === 'api') {
    if (parts.length < 3) return nonResource();
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length < 4) return nonResource();
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  const version = parts[0] === 'api' ? parts[1]! : parts[2]!;
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1]!;
    // /namespaces/{name}, /namespaces/{name}/status and /finalize address the namespace itself.
    if (rest.length >= 3 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  const remaining = rest.slice(3);
  let verb: ResourceRequest['verb'];
  if (method === 'GET' || method === 'HEAD') {
    if (legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1') verb = 'watch';
    else verb = name ? 'get' : 'list';
  } else if (method === 'DELETE' && !name) {
    verb = 'deletecollection';
  } else {
    verb = methodVerbs[method] ?? 'get';
  }
  return { kind: 'resource', verb, group, version, namespace: resource === 'namespaces' ? '' : namespace, resource, subresource, name, rest: remaining };
}
