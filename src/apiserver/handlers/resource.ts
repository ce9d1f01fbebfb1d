// Dispatches a resource request to its verb's handler, and subresources to theirs.
import { methodNotSupported, notFound, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext } from './context.js';
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
  await pods.update(info.namespace, podName, (pod: KubeObject) => {
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (pod.metadata?.deletionTimestamp) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = target.name;
    pod.spec = spec;
    const status = (pod.status ?? {}) as { conditions?: unknown[] };
    const conditions = (status.conditions ?? []).filter((c) => (c as { type?: string }).type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    status.conditions = conditions;
    pod.status = status;
    return pod;
  }, { dryRun: false, subresource: 'binding' });
  sendJson(ctx.response, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** serviceaccounts/token: a signed, audience-bound, expiring token for the service account. */
async function handleTokenRequest(ctx: RequestContext): Promise<void> {
  const tokens = ctx.services.tokens;
  if (!tokens) throw new StatusError(503, 'ServiceUnavailable', 'service account token issuing is not configured on this server');
  const request = await readObject(ctx, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
  sendJson(ctx.response, 201, await tokens.issue(ctx.info.namespace, ctx.info.name, request));
}

/**
 * pods/eviction: a delete that respects PodDisruptionBudgets. A budget whose status allows no
 * disruption refuses with 429, as upstream; the disruption controller keeps that status.
 */
async function handleEviction(ctx: RequestContext): Promise<void> {
  const { info, endpoint } = ctx;
  const eviction = await readObject(ctx, { apiVersion: 'policy/v1', kind: 'Eviction' });
  const options = (eviction.deleteOptions ?? {}) as { gracePeriodSeconds?: number; dryRun?: string[] };
  const pod = (await endpoint.store.get(info.namespace, info.name)).object;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const budgets = ctx.services.storeFor('policy', 'poddisruptionbudgets');
  // Finished pods and pods already being deleted disrupt nothing.
  if (budgets && phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp) {
    await budgets.fresh();
    const labels = pod.metadata?.labels ?? {};
    const matching = budgets.cache.list(budgets.prefix(info.namespace)).filter((item) => {
      const selector = (item.object.spec as { selector?: unknown } | undefined)?.selector;
      return selector !== undefined && selector !== null && labelSelectorFromObject(selector).matches(labels);
    });
    if (matching.length > 1) {
      throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const budget = matching[0];
    if (budget) {
      const allowed = (budget.object.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
      if (allowed <= 0) {
        throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${budget.object.metadata?.name} needs ${(budget.object.status as { desiredHealthy?: number } | undefined)?.desiredHealthy ?? 0} healthy pods and has ${(budget.object.status as { currentHealthy?: number } | undefined)?.currentHealthy ?? 0} currently` }],
        });
      }
    }
  }
  await endpoint.store.delete(info.namespace, info.name, { dryRun: Array.isArray(options.dryRun) && options.dryRun.includes('All'), gracePeriodSeconds: options.gracePeriodSeconds });
  sendJson(ctx.response, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
