// Small helpers so each group file reads like the table `kubectl api-resources` prints,
// instead of repeating the same verbs and group/version on every line.
import type { ResourceInfo, SubresourceInfo, Verb } from '../types.js';

/** What every persisted built-in resource serves. */
export const ALL_VERBS: readonly Verb[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Virtual "review" style resources: a POST that answers and stores nothing. */
export const CREATE_ONLY: readonly Verb[] = ['create'];

/** status, scale, approval, ephemeralcontainers: read and write one facet of the parent. */
export const GET_PATCH_UPDATE: readonly Verb[] = ['get', 'patch', 'update'];

/** The proxy subresources accept every HTTP method kubectl maps to a verb, except list/watch. */
export const PROXY_VERBS: readonly Verb[] = ['create', 'delete', 'get', 'patch', 'update'];

/** exec, attach and portforward answer both GET (websocket upgrade) and POST (SPDY). */
export const CONNECT_VERBS: readonly Verb[] = ['create', 'get'];

/**
 * A subresource before it is attached to its parent: group, version and kind
 * default to the parent's, which is what most subresources (status, approval…) use.
 */
export interface SubresourceSpec {
  name: string;
  verbs: readonly Verb[];
  kind?: string;
  group?: string;
  version?: string;
}

export interface ResourceSpec {
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Upstream uses the lower-cased kind for every built-in, so that is the default. */
  singularName?: string;
  verbs?: readonly Verb[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly SubresourceSpec[];
  storage?: ResourceInfo['storage'];
}

export function statusSubresource(): SubresourceSpec {
  return { name: 'status', verbs: GET_PATCH_UPDATE };
}

/** Every scale subresource speaks autoscaling/v1 Scale, whatever group its parent is in. */
export function scaleSubresource(): SubresourceSpec {
  return { name: 'scale', verbs: GET_PATCH_UPDATE, group: 'autoscaling', version: 'v1', kind: 'Scale' };
}

/** Builds the ResourceInfo list of one group version from compact specs. */
export function defineGroupVersion(
  group: string,
  version: string,
  options: { preferred: boolean },
  specs: readonly ResourceSpec[],
): ResourceInfo[] {
  return specs.map((spec) => {
    const subresources: SubresourceInfo[] = (spec.subresources ?? []).map((sub) => ({
      name: sub.name,
      group: sub.group ?? group,
      version: sub.version ?? version,
      kind: sub.kind ?? spec.kind,
      verbs: sub.verbs,
    }));
    const info: ResourceInfo = {
      group,
      version,
      resource: spec.resource,
      singularName: spec.singularName ?? spec.kind.toLowerCase(),
      kind: spec.kind,
      namespaced: spec.namespaced,
      verbs: spec.verbs ?? ALL_VERBS,
      shortNames: spec.shortNames ?? [],
      categories: spec.categories ?? [],
      subresources,
      preferredVersion: options.preferred,
    };
    if (spec.storage) info.storage = spec.storage;
    return info;
  });
}
