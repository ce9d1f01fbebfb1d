// What the garbage collector watches and how it maps owner references to URLs: every served
// resource from discovery (all versions, for mapping apiVersion/kind), of which the preferred
// version of each resource that supports list, watch and delete gets a monitor (upstream's
// GetDeletableResources and RESTMapper). Events are never owners or dependents worth watching.
import type { ResourceRef, RestClient } from '../../client/index.js';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: readonly string[];
  /** The group's preferred version serves it. */
  preferred: boolean;
  /** Its subresources ("status", "scale"). */
  subresources: readonly string[];
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** "group/version" → why it could not be discovered. */
  failedGroups: Map<string, string>;
}

/** Upstream's DefaultIgnoredResources for the garbage collector. */
export const ignoredResources: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io']);

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}
interface ApiGroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

export async function discoverResources(client: Pick<RestClient, 'request'>): Promise<DiscoveryResult> {
  const groupVersions: { group: string; version: string; preferred: boolean }[] = [{ group: '', version: 'v1', preferred: true }];
  const groups = await client.request<ApiGroupList>({ method: 'GET', path: '/apis' });
  for (const group of groups.groups ?? []) {
    const preferred = group.preferredVersion?.version ?? group.versions?.[0]?.version;
    for (const { version } of group.versions ?? []) groupVersions.push({ group: group.name, version, preferred: version === preferred });
  }
  const resources: DiscoveredResource[] = [];
  const failedGroups = new Map<string, string>();
  await Promise.all(
    groupVersions.map(async ({ group, version, preferred }) => {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        const list = await client.request<ApiResourceList>({ method: 'GET', path });
        const subresources = new Map<string, string[]>();
        for (const { name } of list.resources ?? []) {
          const [parent, sub] = name.split('/', 2);
          if (parent && sub) subresources.set(parent, [...(subresources.get(parent) ?? []), sub]);
        }
        for (const resource of list.resources ?? []) {
          if (resource.name.includes('/')) continue;
          resources.push({ group, version, resource: resource.name, kind: resource.kind, namespaced: resource.namespaced, verbs: resource.verbs ?? [], preferred, subresources: subresources.get(resource.name) ?? [] });
        }
      } catch (error) {
        failedGroups.set(group === '' ? version : `${group}/${version}`, (error as Error).message);
      }
    }),
  );
  return { resources, failedGroups };
}

export function groupResourceKey(resource: { group: string; resource: string }): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}

/** The resources to monitor: preferred versions that can be listed, watched and deleted. */
export function deletableResources(resources: readonly DiscoveredResource[]): DiscoveredResource[] {
  return resources.filter(
    (resource) => resource.preferred && !ignoredResources.has(groupResourceKey(resource)) && ['list', 'watch', 'delete'].every((verb) => resource.verbs.includes(verb)),
  );
}

export class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}`);
    this.name = 'RestMappingError';
  }
}

export interface ResourceMapping extends ResourceRef {
  kind: string;
  subresources: readonly string[];
}

/** apiVersion + kind → resource, preferring the exact version and falling back to the group's preferred one. */
export class RestMapper {
  private byVersionKind = new Map<string, ResourceMapping>();
  private byGroupKind = new Map<string, ResourceMapping>();

  update(resources: readonly DiscoveredResource[]): void {
    const byVersionKind = new Map<string, ResourceMapping>();
    const byGroupKind = new Map<string, ResourceMapping>();
    for (const r of resources) {
      const mapping = { group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced, kind: r.kind, subresources: r.subresources };
      const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
      // A kind can be served by several resources (none in practice); the first one wins.
      if (!byVersionKind.has(`${apiVersion}|${r.kind}`)) byVersionKind.set(`${apiVersion}|${r.kind}`, mapping);
      if (r.preferred || !byGroupKind.has(`${r.group}|${r.kind}`)) byGroupKind.set(`${r.group}|${r.kind}`, mapping);
    }
    this.byVersionKind = byVersionKind;
    this.byGroupKind = byGroupKind;
  }

  resolve(apiVersion: string, kind: string): ResourceMapping {
    const exact = this.byVersionKind.get(`${apiVersion}|${kind}`);
    if (exact) return exact;
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const mapping = this.byGroupKind.get(`${group}|${kind}`);
    if (!mapping) throw new RestMappingError(apiVersion, kind);
    return mapping;
  }
}
