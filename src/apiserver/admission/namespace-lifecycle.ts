// Upstream's NamespaceLifecycle admission: content is created only in namespaces that exist and
// are not being deleted, and the system namespaces cannot be deleted.
import { forbidden, notFound, StatusError } from '../../api/errors.js';
import type { AdmissionPlugin, ResourceStore } from '../registry/resource-store.js';

export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(namespaces: () => ResourceStore): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async admit({ operation, store, object }) {
      const meta = object.metadata ?? {};
      if (object.kind === 'Namespace' && operation === 'DELETE' && immortalNamespaces.includes(meta.name ?? '')) {
        throw forbidden({ group: '', resource: 'namespaces' }, meta.name ?? '', 'this namespace may not be deleted');
      }
      if (operation !== 'CREATE' || !store.namespaced) return;
      const namespace = meta.namespace ?? '';
      const nsStore = namespaces();
      await nsStore.fresh();
      const found = nsStore.cache.get(nsStore.key('', namespace));
      if (!found) throw notFound({ group: '', resource: 'namespaces' }, namespace);
      if (found.object.metadata?.deletionTimestamp || (found.object.status as { phase?: string } | undefined)?.phase === 'Terminating') {
        const resource = store.ref.group ? `${store.ref.resource}.${store.ref.group}` : store.ref.resource;
        throw new StatusError(403, 'Forbidden', `${resource} "${meta.name ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
          name: meta.name,
          kind: store.ref.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
        });
      }
    },
  };
}
