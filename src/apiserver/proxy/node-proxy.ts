// nodes/{name}/proxy/{path} without an upgrade: a GET to the kubelet's path, streamed back with
// the kubelet's status and content type (kubectl get --raw /api/v1/nodes/n/proxy/healthz).
import { methodNotSupported } from '../../api/errors.js';
import type { RequestContext } from '../handlers/context.js';
import { kubeletGet } from './kubelet-client.js';
import { kubeletTls, nodeKubelet } from './locate.js';

export async function handleNodeProxy(ctx: RequestContext): Promise<void> {
  const { info, query, response, request } = ctx;
  if (request.method !== 'GET' && request.method !== 'HEAD') throw methodNotSupported({ group: '', resource: 'nodes/proxy' }, info.verb);
  const address = await nodeKubelet(ctx.services, info.name.replace(/:\d+$/, ''));
  const path = `/${info.rest.map(encodeURIComponent).join('/')}${query.size ? `?${query}` : ''}`;
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  const upstream = await kubeletGet(address, path, kubeletTls(ctx.services), abort.signal);
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache, private' };
  const type = upstream.headers['content-type'];
  if (type) headers['Content-Type'] = type;
  response.writeHead(upstream.statusCode ?? 502, headers);
  upstream.on('error', () => response.destroy());
  upstream.pipe(response);
  await new Promise<void>((resolve) => response.on('close', resolve));
}
