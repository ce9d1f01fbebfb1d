// The last of upstream's finders (getScaleController): any other controller kind that serves the
// scale subresource — custom resources included — counts with the scale's spec.replicas. Kinds
// are resolved through discovery, refreshed when a kind is not known yet.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, type RestClient } from '../../client/index.js';
import { controllerOf } from '../common/controller-ref.js';
import { discoverResources, RestMapper, RestMappingError, type ResourceMapping } from '../garbagecollector/discovery.js';
import type { ScaleFinder } from './budget.js';

/** Discovery is asked again at most this often for a kind it did not know. */
export const rediscoveryIntervalMs = 30_000;

export interface ScaleSubresourceApi {
  resolve(apiVersion: string, kind: string): Promise<ResourceMapping>;
  /** The scale of the named object, or undefined when NotFound. */
  getScale(mapping: ResourceMapping, namespace: string, name: string): Promise<{ uid?: string; replicas: number } | undefined>;
}

export function restScaleSubresourceApi(client: RestClient, nowMs: () => number = Date.now): ScaleSubresourceApi {
  const mapper = new RestMapper();
  let discoveredAtMs = -Infinity;
  const rediscover = async () => {
    discoveredAtMs = nowMs();
    mapper.update((await discoverResources(client)).resources);
  };
  return {
    async resolve(apiVersion, kind) {
      try {
        return mapper.resolve(apiVersion, kind);
      } catch (error) {
        if (!(error instanceof RestMappingError) || nowMs() - discoveredAtMs < rediscoveryIntervalMs) throw error;
        await rediscover();
        return mapper.resolve(apiVersion, kind);
      }
    },
    async getScale(mapping, namespace, name) {
      try {
        const path = client.resource(mapping).path(mapping.namespaced ? namespace : undefined, name, 'scale');
        const scale = await client.request<KubeObject & { spec?: { replicas?: number } }>({ method: 'GET', path });
        return { uid: scale.metadata?.uid, replicas: scale.spec?.replicas ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

export function scaleSubresourceFinder(api: ScaleSubresourceApi): ScaleFinder {
  return async (pod: Pod) => {
    const ref = controllerOf(pod as KubeObject);
    if (!ref) return undefined;
    const mapping = await api.resolve(ref.apiVersion, ref.kind);
    const scale = await api.getScale(mapping, pod.metadata?.namespace ?? '', ref.name);
    if (!scale) {
      const resource = mapping.group === '' ? mapping.resource : `${mapping.resource}.${mapping.group}`;
      // NotFound for a kind without the subresource is an error of the budget, not a missing controller.
      if (!mapping.subresources.includes('scale')) throw new Error(`${resource} does not implement the scale subresource`);
      return undefined;
    }
    if (scale.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.replicas };
  };
}

/** The built-in finders first, then the scale subresource (upstream's order). */
export function chainFinders(...finders: ScaleFinder[]): ScaleFinder {
  return async (pod) => {
    for (const finder of finders) {
      const found = await finder(pod);
      if (found) return found;
    }
    return undefined;
  };
}
