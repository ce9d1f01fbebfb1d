// Aggregated discovery (apidiscovery.k8s.io): one document with every group, version,
// resource and subresource, so a client needs two requests (/api and /apis) instead of one
// per group version.
import type { ResourceInfo, SubresourceInfo } from '../../api/resources/types.js';
import { arrangeByGroup, type GroupResources } from './ordering.js';
import type {
  AggregatedDiscoveryVersion,
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIResourceDiscovery,
  APISubresourceDiscovery,
  ResponseKind,
} from './types.js';

/** Which endpoint the document is for: /api holds only the core group, /apis every other. */
export type DiscoveryRoot = 'api' | 'apis';

function ownKind(kind: string): ResponseKind {
  // Upstream leaves group and version empty when they equal the listed group version.
  return { group: '', version: '', kind };
}

function subresourceEntry(info: ResourceInfo, sub: SubresourceInfo): APISubresourceDiscovery {
  const sameGroupVersion = sub.group === info.group && sub.version === info.version;
  return {
    subresource: sub.name,
    responseKind: sameGroupVersion ? ownKind(sub.kind) : { group: sub.group, version: sub.version, kind: sub.kind },
    verbs: [...sub.verbs],
  };
}

function resourceEntry(info: ResourceInfo): APIResourceDiscovery {
  const entry: APIResourceDiscovery = {
    resource: info.resource,
    responseKind: ownKind(info.kind),
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singularName,
    verbs: [...info.verbs],
  };
  if (info.shortNames.length > 0) entry.shortNames = [...info.shortNames];
  if (info.categories.length > 0) entry.categories = [...info.categories];
  if (info.subresources.length > 0) {
    entry.subresources = [...info.subresources]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((sub) => subresourceEntry(info, sub));
  }
  return entry;
}

function groupEntry(arranged: GroupResources): APIGroupDiscovery {
  const metadata: APIGroupDiscovery['metadata'] =
    arranged.group === '' ? { creationTimestamp: null } : { name: arranged.group, creationTimestamp: null };
  return {
    metadata,
    versions: arranged.versions.map((entry) => ({
      version: entry.version,
      resources: entry.resources.map(resourceEntry),
      freshness: 'Current',
    })),
  };
}

/**
 * The APIGroupDiscoveryList served at /api (root "api") or /apis (root "apis").
 * v2beta1 has the same shape as v2; only apiVersion differs.
 */
export function buildAggregatedDiscovery(
  resources: readonly ResourceInfo[],
  root: DiscoveryRoot,
  version: AggregatedDiscoveryVersion = 'v2',
): APIGroupDiscoveryList {
  const groups = arrangeByGroup(resources).filter((arranged) =>
    root === 'api' ? arranged.group === '' : arranged.group !== '',
  );
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(groupEntry),
  };
}
