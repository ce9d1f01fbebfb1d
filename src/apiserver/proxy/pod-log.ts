// pods/log: checks the container as upstream does, then streams the kubelet's
// /containerLogs answer back unchanged, so `kubectl logs -f` sees lines as they are written.
import { badRequest } from '../../api/errors.js';
import type { RequestContext } from '../handlers/context.js';
import { parseLogOptions } from '../../kubelet/server/logs/log-options.js';
import { backendError } from './backend-error.js';
import { kubeletGet } from './kubelet-client.js';
import { kubeletTls, nodeKubelet, podOf } from './locate.js';
import { checkLogsAvailable, resolveContainerName } from './pod-container.js';

const forwardedLogOptions = ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'] as const;

export async function handlePodLog(ctx: RequestContext): Promise<void> {
  const { info, query, response } = ctx;
  try {
    parseLogOptions(query);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  const pod = await podOf(ctx.endpoint.store, info.namespace, info.name);
  const container = resolveContainerName(pod, query.get('container'));
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    // Upstream has no location for an unscheduled pod and answers an empty log.
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end();
    return;
  }
  checkLogsAvailable(pod, container, query.get('previous') === 'true' || query.get('previous') === '1');
  const address = await nodeKubelet(ctx.services, nodeName);
  const forward = new URLSearchParams();
  for (const name of forwardedLogOptions) {
    const value = query.get(name);
    if (value !== null) forward.set(name, value);
  }
  const path = `/containerLogs/${encodeURIComponent(info.namespace)}/${encodeURIComponent(info.name)}/${encodeURIComponent(container)}${forward.size ? `?${forward}` : ''}`;
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  const upstream = await kubeletGet(address, path, kubeletTls(ctx.services), abort.signal);
  if (upstream.statusCode !== 200) throw await backendError(upstream);
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  response.flushHeaders();
  upstream.on('error', () => response.destroy());
  upstream.pipe(response);
  await new Promise<void>((resolve) => response.on('close', resolve));
}
