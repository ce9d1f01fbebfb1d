import type { ControllerDescriptor } from '../context.js';
import { restContentApi } from './content.js';
import { NamespaceController, restNamespaceApi } from './controller.js';

export const namespaceResource = { group: '', version: 'v1', resource: 'namespaces', namespaced: false } as const;
/** Upstream resyncs the namespace controller's informer every 5 minutes, so a missed wake-up is redone. */
export const namespaceResyncPeriodMs = 5 * 60_000;

export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace',
  // Upstream's --concurrent-namespace-syncs default.
  workers: 10,
  create: ({ client, informers, namespaceDeletionGracePeriodMs }) =>
    new NamespaceController({
      namespaces: informers.forResource(namespaceResource, { resyncPeriodMs: namespaceResyncPeriodMs }),
      namespaceApi: restNamespaceApi(client),
      contentApi: restContentApi(client),
      deletionGracePeriodMs: namespaceDeletionGracePeriodMs,
    }),
};
