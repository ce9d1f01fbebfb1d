// Upstream's serviceaccounts-controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
// every Active namespace has a "default" ServiceAccount; deleting it brings it back.
import type { KubeObject } from '../../api/object.js';
import { isAlreadyExists, isNotFound, WorkQueue, runWorkers, type ResourceClient } from '../../client/index.js';
import { namespacePhase, unwrapDeleted, type InformerView } from '../informer-view.js';

export const serviceAccountResource = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true } as const;
/** Upstream's --service-account-names default. */
export const defaultServiceAccountNames: readonly string[] = ['default'];

export interface ServiceAccountsControllerOptions {
  namespaces: InformerView;
  serviceAccounts: InformerView;
  serviceAccountClient: Pick<ResourceClient, 'create'>;
  serviceAccountNames?: readonly string[];
}

export class ServiceAccountsController {
  readonly queue = new WorkQueue<string>({ name: 'serviceaccount' });
  private readonly names: readonly string[];

  constructor(private readonly options: ServiceAccountsControllerOptions) {
    this.names = options.serviceAccountNames ?? defaultServiceAccountNames;
    options.namespaces.addEventHandler({
      onAdd: (namespace) => this.enqueueNamespace(namespace),
      onUpdate: (_old, namespace) => this.enqueueNamespace(namespace),
    });
    options.serviceAccounts.addEventHandler({
      onDelete: (object) => {
        const serviceAccount = unwrapDeleted(object);
        if (this.names.includes(serviceAccount.metadata?.name ?? '')) this.queue.add(serviceAccount.metadata?.namespace ?? '');
      },
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.namespaces.waitForSync()) || !(await this.options.serviceAccounts.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNamespace(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  /** Creates the missing service accounts of one namespace; key is the namespace's name. */
  async syncNamespace(key: string): Promise<void> {
    const namespace = this.options.namespaces.cache.get(key);
    if (!namespace || namespace.metadata?.deletionTimestamp || namespacePhase(namespace) !== 'Active') return;
    for (const name of this.names) {
      if (this.options.serviceAccounts.cache.get(`${key}/${name}`)) continue;
      try {
        await this.options.serviceAccountClient.create(key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } } as KubeObject);
      } catch (error) {
        // Already there (the cache lags) or the namespace went away meanwhile: nothing to do.
        if (isAlreadyExists(error) || isNotFound(error) || isNamespaceTerminating(error)) continue;
        throw error;
      }
    }
  }

  private enqueueNamespace(namespace: KubeObject): void {
    const name = namespace.metadata?.name;
    if (name) this.queue.add(name);
  }
}

/** The admission refusal for content in a Terminating namespace (cause NamespaceTerminating). */
export function isNamespaceTerminating(error: unknown): boolean {
  const causes = (error as { details?: { causes?: { reason?: string }[] } } | undefined)?.details?.causes ?? [];
  return causes.some((cause) => cause.reason === 'NamespaceTerminating');
}
