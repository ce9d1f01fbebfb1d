// The scale subresource: an autoscaling/v1 Scale view of spec.replicas, status.replicas and the
// selector, for deployments, replicasets, statefulsets and replicationcontrollers.
import { badRequest, conflict, staleObjectMessage } from '../../api/errors.js';
import { isJsonObject, type KubeObject } from '../../api/object.js';
import { decodeBody, mediaType, readBody } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext } from './context.js';
import { applyPatch } from './patch.js';
import { checkTypeMeta, writeOptions } from './write.js';

interface Scale extends KubeObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorText(obj: KubeObject): string | undefined {
  const selector = (obj.spec as { selector?: unknown } | undefined)?.selector;
  if (!isJsonObject(selector)) return undefined;
  if (obj.kind === 'ReplicationController') {
    return Object.entries(selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  }
  const parts: string[] = [];
  const { matchLabels, matchExpressions } = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  for (const [k, v] of Object.entries(matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

export function scaleOf(obj: KubeObject): Scale {
  const meta = obj.metadata!;
  const selector = selectorText(obj);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: (obj.spec as { replicas?: number } | undefined)?.replicas ?? 0 },
    status: { replicas: (obj.status as { replicas?: number } | undefined)?.replicas ?? 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

export async function handleScaleGet(ctx: RequestContext): Promise<void> {
  const found = await ctx.endpoint.store.get(ctx.info.namespace, ctx.info.name);
  sendJson(ctx.response, 200, scaleOf(found.object));
}

export async function handleScaleWrite(ctx: RequestContext): Promise<void> {
  const { endpoint, info } = ctx;
  const body = await readBody(ctx.request);
  const type = mediaType(ctx.request.headers['content-type']);
  const result = await endpoint.store.update(
    info.namespace,
    info.name,
    (current) => {
      const currentScale = scaleOf(current);
      const wanted = info.verb === 'patch'
        ? checkTypeMeta(applyPatch(type, currentScale, body, { group: 'autoscaling', kind: 'Scale' }), { apiVersion: 'autoscaling/v1', kind: 'Scale' })
        : checkTypeMeta(decodeBody(body, ctx.request.headers['content-type']), { apiVersion: 'autoscaling/v1', kind: 'Scale' });
      const sentVersion = wanted.metadata?.resourceVersion;
      if (info.verb === 'update' && sentVersion && sentVersion !== current.metadata?.resourceVersion) throw conflict(endpoint.store.ref, info.name, staleObjectMessage);
      const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) throw badRequest('spec.replicas must be an integer');
      current.spec = { ...((current.spec as object) ?? {}), replicas: replicas ?? 0 };
      return current;
    },
    { ...writeOptions(ctx), subresource: 'scale' },
  );
  sendJson(ctx.response, 200, scaleOf(result.object));
}
