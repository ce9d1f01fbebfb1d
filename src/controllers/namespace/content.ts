// How the namespace controller finds and removes a namespace's content: discovery of every
// namespaced resource (preferred versions, as client-go's ServerPreferredNamespacedResources)
// and list/delete/deletecollection on it. An interface, so the deleter is tested with a fake.
import type { KubeObject } from '../../api/object.js';
import { isNotFound, type ResourceRef, type RestClient } from '../../client/index.js';

export interface NamespacedResource extends ResourceRef {
  verbs: readonly string[];
}

export interface Discovery {
  resources: NamespacedResource[];
  /** "group/version" → why it could not be discovered. */
  failedGroups: Map<string, string>;
}

export interface NamespaceContentApi {
  discoverNamespacedResources(): Promise<Discovery>;
  list(resource: NamespacedResource, namespace: string): Promise<KubeObject[]>;
  deleteCollection(resource: NamespacedResource, namespace: string): Promise<void>;
  delete(resource: NamespacedResource, namespace: string, name: string): Promise<void>;
}

interface ApiResourceList {
  groupVersion?: string;
  resources?: { name: string; namespaced: boolean; verbs?: string[] }[];
}

interface ApiGroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

/** Background propagation, as upstream's deleter: owners go now, the garbage collector takes dependents. */
const deleteBody = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };

export function restContentApi(client: RestClient): NamespaceContentApi {
  return {
    async discoverNamespacedResources() {
      const groupVersions: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
      const groups = await client.request<ApiGroupList>({ method: 'GET', path: '/apis' });
      for (const group of groups.groups ?? []) {
        const version = group.preferredVersion?.version ?? group.versions?.[0]?.version;
        if (version) groupVersions.push({ group: group.name, version });
      }
      const resources: NamespacedResource[] = [];
      const failedGroups = new Map<string, string>();
      await Promise.all(
        groupVersions.map(async ({ group, version }) => {
          const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
          try {
            const list = await client.request<ApiResourceList>({ method: 'GET', path });
            for (const resource of list.resources ?? []) {
              // Subresources ("pods/status") are not objects of their own.
              if (!resource.namespaced || resource.name.includes('/')) continue;
              resources.push({ group, version, resource: resource.name, namespaced: true, verbs: resource.verbs ?? [] });
            }
          } catch (error) {
            failedGroups.set(group === '' ? version : `${group}/${version}`, (error as Error).message);
          }
        }),
      );
      resources.sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource));
      return { resources, failedGroups };
    },
    async list(resource, namespace) {
      const items: KubeObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.resource(resource).list(namespace, { limit: 500, continue: token });
        items.push(...page.items);
        token = page.metadata.continue || undefined;
      } while (token);
      return items;
    },
    async deleteCollection(resource, namespace) {
      await client.request({ method: 'DELETE', path: client.resource(resource).path(namespace), body: deleteBody });
    },
    async delete(resource, namespace, name) {
      try {
        await client.resource(resource).delete(namespace, name, { propagationPolicy: 'Background' });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
