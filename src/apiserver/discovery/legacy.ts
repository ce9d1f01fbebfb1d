// Legacy (meta/v1) discovery documents: what clients read when they do not ask for aggregated
// discovery, and what every client reads for /api/v1 and /apis/<group>/<version>.
import { createHash } from 'node:crypto';
import type { ResourceInfo, SubresourceInfo } from '../../api/resources/types.js';
import { apiVersionOf } from '../../api/object.js';
import { arrangeByGroup, resourcesOfGroupVersion, type GroupResources } from './ordering.js';
import type {
  APIGroup,
  APIGroupList,
  APIResource,
  APIResourceList,
  APIVersions,
  GroupVersionForDiscovery,
} from './types.js';

/**
 * Upstream's storage version hash: the first 8 bytes of sha256("<group>/<version>/<kind>")
 * of the version objects are stored as, base64-encoded. It lets controllers notice a change
 * of storage version; computing it the same way keeps the values identical to upstream's.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

/** GET /api. serverAddress is the host:port clients should use, e.g. "10.0.0.1:6443". */
export function buildApiVersions(serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersionEntry(group: string, version: string): GroupVersionForDiscovery {
  return { groupVersion: apiVersionOf(group, version), version };
}

function toApiGroup(arranged: GroupResources): APIGroup {
  return {
    name: arranged.group,
    versions: arranged.versions.map((entry) => groupVersionEntry(arranged.group, entry.version)),
    preferredVersion: groupVersionEntry(arranged.group, arranged.preferredVersion),
  };
}

/** GET /apis: every named group (the core group is served at /api instead). */
export function buildApiGroupList(resources: readonly ResourceInfo[]): APIGroupList {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: arrangeByGroup(resources)
      .filter((arranged) => arranged.group !== '')
      .map(toApiGroup),
  };
}

/** GET /apis/<group>, or undefined when no version of the group is served (answer 404). */
export function buildApiGroup(resources: readonly ResourceInfo[], group: string): APIGroup | undefined {
  if (group === '') return undefined;
  const arranged = arrangeByGroup(resources.filter((info) => info.group === group))[0];
  if (!arranged) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...toApiGroup(arranged) };
}

/**
 * Upstream only sends a hash for resources backed by storage. Every stored built-in serves
 * watch and none of the virtual ones (bindings, componentstatuses, reviews) do.
 */
function isStored(info: ResourceInfo): boolean {
  return info.verbs.includes('watch');
}

function resourceRow(info: ResourceInfo): APIResource {
  const row: APIResource = {
    name: info.resource,
    singularName: info.singularName,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: [...info.verbs],
  };
  if (info.shortNames.length > 0) row.shortNames = [...info.shortNames];
  if (info.categories.length > 0) row.categories = [...info.categories];
  if (isStored(info)) {
    const stored = info.storage ?? info;
    row.storageVersionHash = storageVersionHash(stored.group, stored.version, info.kind);
  }
  return row;
}

function subresourceRow(info: ResourceInfo, sub: SubresourceInfo): APIResource {
  // Only a kind from another group version is qualified; then upstream sends both fields.
  const foreign = sub.group !== info.group || sub.version !== info.version;
  return {
    name: `${info.resource}/${sub.name}`,
    singularName: '',
    namespaced: info.namespaced,
    ...(foreign ? { group: sub.group, version: sub.version } : {}),
    kind: sub.kind,
    verbs: [...sub.verbs],
  };
}

/**
 * GET /api/v1 or /apis/<group>/<version>: resources and "resource/subresource" rows sorted
 * by name. Undefined when the group version is not served (answer 404).
 */
export function buildApiResourceList(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): APIResourceList | undefined {
  const served = resourcesOfGroupVersion(resources, group, version);
  if (!served) return undefined;
  const rows: APIResource[] = [];
  for (const info of served) {
    rows.push(resourceRow(info));
    const subs = [...info.subresources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const sub of subs) rows.push(subresourceRow(info, sub));
  }
  const groupVersion = apiVersionOf(group, version);
  // The core list carries no apiVersion upstream; group lists do.
  if (group === '') return { kind: 'APIResourceList', groupVersion, resources: rows };
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: rows };
}
