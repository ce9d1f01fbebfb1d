// Dispatches a resource request to its verb's handler, and subresources to theirs.
import { methodNotSupported, notFound, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { sendJson } from '../http/respond.js';
import { handleNodeProxy, handlePodLog } from '../proxy/index.js';
import type { RequestContext } from './context.js';
import { handleEviction } from './eviction.js';
import { handleGet, handleList } from './read.js';
import { handleScaleGet, handleScaleWrite } from './scale.js';
import { handleWatch } from './watch.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate, readObject } from './write.js';

export async function handleResource(ctx: RequestContext): Promise<void> {
  const { info, endpoint } = ctx;
  const subresource = info.subresource;
  if (subresource) return handleSubresource(ctx, subresource);
  const verb = info.verb;
  if (!endpoint.info.verbs.includes(verb)) throw methodNotSupported(endpoint.store.ref, verb);
  switch (verb) {
    case 'get':
      return handleGet(ctx);
    case 'list':
      return handleList(ctx);
    case 'watch':
      return handleWatch(ctx);
    case 'create':
      if (info.name) throw methodNotSupported(endpoint.store.ref, verb);
      return handleCreate(ctx);
    case 'update':
      return handleUpdate(ctx);
    case 'patch':
      return handlePatch(ctx);
    case 'delete':
      return handleDelete(ctx);
    case 'deletecollection':
      return handleDeleteCollection(ctx);
  }
}

async function handleSubresource(ctx: RequestContext, subresource: string): Promise<void> {
  const { info, endpoint } = ctx;
  const declared = endpoint.info.subresources.find((sub) => sub.name === subresource);
  if (!declared) throw notFound({ group: endpoint.info.group, resource: `${endpoint.info.resource}/${subresource}` }, info.name);
  switch (subresource) {
    case 'status':
      if (info.verb === 'get') return handleGet(ctx);
      if (info.verb === 'update') return handleUpdate(ctx, 'status');
      if (info.verb === 'patch') return handlePatch(ctx, 'status');
      break;
    case 'approval':
      // certificatesigningrequests/approval: `kubectl certificate approve|deny` writes conditions here.
      if (info.verb === 'get') return handleGet(ctx);
      if (info.verb === 'update') return handleUpdate(ctx, 'approval');
      if (info.verb === 'patch') return handlePatch(ctx, 'approval');
      break;
    case 'scale':
      if (info.verb === 'get') return handleScaleGet(ctx);
      if (info.verb === 'update' || info.verb === 'patch') return handleScaleWrite(ctx);
      break;
    case 'binding':
      if (info.verb === 'create') return handleBinding(ctx);
      break;
    case 'eviction':
      if (info.verb === 'create') return handleEviction(ctx);
      break;
    case 'token':
      if (info.verb === 'create') return handleTokenRequest(ctx);
      break;
    case 'finalize':
      if (info.verb === 'update') return handleUpdate(ctx, 'finalize');
      break;
    case 'log':
      if (endpoint.info.resource === 'pods' && info.verb === 'get') return handlePodLog(ctx);
      break;
    case 'exec':
    case 'attach':
    case 'portforward':
      // Served on the upgrade path (server.ts); a plain request cannot carry the streams.
      if (endpoint.info.resource === 'pods') throw new StatusError(400, 'BadRequest', 'Upgrade request required');
      break;
    case 'proxy':
      if (endpoint.info.resource === 'nodes') return handleNodeProxy(ctx);
      throw new StatusError(501, 'InternalError' as never, `the ${endpoint.info.resource}/${subresource} subresource is not served by this k8ts server yet`);
    default:
      throw new StatusError(
        501,
        'InternalError' as never,
        `the ${endpoint.info.resource}/${subresource} subresource is not served by this k8ts server yet (it needs the node agent)`,
      );
  }
  throw methodNotSupported({ group: endpoint.info.group, resource: `${endpoint.info.resource}/${subresource}` }, info.verb);
}

/** pods/binding: the scheduler's write that assigns a pod to a node, once. */
export async function handleBinding(ctx: RequestContext): Promise<void> {
  const { info, endpoint } = ctx;
  const binding = await readObject(ctx, { apiVersion: 'v1', kind: 'Binding' });
  const target = (binding.target ?? {}) as { name?: string; kind?: string };
  const podName = info.name || binding.metadata?.name || '';
  if (!target.name) throw new StatusError(422, 'Invalid', `Binding "${podName}" is invalid: target.name: Required value`);
  const pods = endpoint.store;
  // The mutation gets the cached pod, shared with every reader: it builds the bound pod beside it,
  // copying only the parts binding changes (a deep copy of the pod cost more than the rest of it).
  await pods.update(info.namespace, podName, (pod: KubeObject) => {
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (pod.metadata?.deletionTimestamp) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${spec.nodeName}"`);
    const status = (pod.status ?? {}) as { conditions?: unknown[] };
    const conditions = (status.conditions ?? []).filter((c) => (c as { type?: string }).type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    // Spread keeps each member where it was (a new one goes last), as assigning to a copy did.
    return { ...pod, metadata: { ...pod.metadata }, spec: { ...spec, nodeName: target.name }, status: { ...status, conditions } };
  }, { dryRun: false, subresource: 'binding', readOnlyCurrent: true });
  sendJson(ctx.response, 201, bindingCreated);
}

/** The answer to every successful binding, serialised once. */
const bindingCreated = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });

/** serviceaccounts/token: a signed, audience-bound, expiring token for the service account. */
async function handleTokenRequest(ctx: RequestContext): Promise<void> {
  const tokens = ctx.services.tokens;
  if (!tokens) throw new StatusError(503, 'ServiceUnavailable', 'service account token issuing is not configured on this server');
  const request = await readObject(ctx, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
  sendJson(ctx.response, 201, await tokens.issue(ctx.info.namespace, ctx.info.name, request));
}
