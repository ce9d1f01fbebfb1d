// Resources with no stored objects: the review APIs kubectl uses for `auth can-i` and
// `auth whoami`, bindings, and componentstatuses. Until RBAC lands every authenticated user may
// do everything, so access reviews answer allowed.
import { methodNotSupported } from '../api/errors.js';
import { sendJson } from './http/respond.js';
import type { RequestContext } from './handlers/context.js';
import { handleBinding, } from './handlers/resource.js';
import { negotiate, tableOf } from './handlers/output.js';
import { readObject } from './handlers/write.js';

export async function handleVirtual(ctx: RequestContext): Promise<void> {
  const { info, endpoint, user } = ctx;
  const key = `${info.group}/${info.resource}`;
  if (key === '/componentstatuses') {
    if (info.verb !== 'list' && info.verb !== 'get') throw methodNotSupported(endpoint.store.ref, info.verb);
    const healthy = (name: string) => ({
      kind: 'ComponentStatus',
      apiVersion: 'v1',
      metadata: { name },
      conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
    });
    const names = ['controller-manager', 'scheduler', 'etcd-0'];
    const items = info.verb === 'get' ? [healthy(info.name)] : names.map(healthy);
    ctx.response.setHeader('Warning', '299 - "v1 ComponentStatus is deprecated in v1.19+"');
    const representation = negotiate(ctx.request.headers.accept, ctx.query);
    if (representation.kind === 'table') return sendJson(ctx.response, 200, tableOf(endpoint, items, representation.includeObject, { resourceVersion: '' }));
    if (info.verb === 'get') return sendJson(ctx.response, 200, items[0]);
    return sendJson(ctx.response, 200, { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items });
  }
  if (info.verb !== 'create') throw methodNotSupported({ group: info.group, resource: info.resource }, info.verb);
  if (key === '/bindings') return handleBinding(ctx);
  const review = await readObject(ctx);
  const userInfo = { username: user.username, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}), ...(user.extra ? { extra: user.extra } : {}) };
  switch (key) {
    case 'authentication.k8s.io/selfsubjectreviews':
      return sendJson(ctx.response, 201, { ...review, metadata: { creationTimestamp: null }, status: { userInfo } });
    case 'authorization.k8s.io/selfsubjectaccessreviews':
    case 'authorization.k8s.io/subjectaccessreviews':
    case 'authorization.k8s.io/localsubjectaccessreviews':
      return sendJson(ctx.response, 201, { ...review, metadata: { creationTimestamp: null }, status: { allowed: true, reason: 'k8ts: every authenticated user is allowed until RBAC is enabled' } });
    case 'authorization.k8s.io/selfsubjectrulesreviews':
      return sendJson(ctx.response, 201, {
        ...review,
        metadata: { creationTimestamp: null },
        status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
      });
    case 'authentication.k8s.io/tokenreviews': {
      const spec = (review.spec ?? {}) as { token?: string; audiences?: string[] };
      const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : undefined;
      const reviewed = spec.token && ctx.services.tokens ? await ctx.services.tokens.authenticate(spec.token, audiences?.[0]) : undefined;
      const status = reviewed
        ? { authenticated: true, user: { username: reviewed.username, uid: reviewed.uid, groups: reviewed.groups, extra: reviewed.extra }, audiences: audiences ?? ['https://kubernetes.default.svc.cluster.local'] }
        : { authenticated: false, user: {}, error: '[invalid bearer token, service account token has been invalidated]' };
      return sendJson(ctx.response, 201, { ...review, metadata: { creationTimestamp: null }, status });
    }
  }
  throw methodNotSupported({ group: info.group, resource: info.resource }, info.verb);
}
