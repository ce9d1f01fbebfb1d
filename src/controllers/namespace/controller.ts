// Upstream's namespace controller (pkg/controller/namespace/namespace_controller.go): once a
// namespace is being deleted, remove all its content, wait until it is gone, then take the
// "kubernetes" finalizer off so the API server can delete the namespace itself.
import type { KubeObject } from '../../api/object.js';
import { isConflict, isNotFound, runWorkers, WorkQueue, type RestClient } from '../../client/index.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import type { NamespaceCondition } from './conditions.js';
import type { NamespaceContentApi } from './content.js';
import { NamespacedResourcesDeleter } from './deleter.js';

/** The spec.finalizers token this controller owns. */
export const kubernetesFinalizer = 'kubernetes';
/** Upstream's namespaceDeletionGracePeriod: lets admission caches and late writes settle before content is removed. */
export const defaultNamespaceDeletionGracePeriodMs = 5_000;
/** Upstream's --concurrent-namespace-syncs default. */
export const defaultNamespaceWorkers = 10;
/** Conflicting writes to one namespace retried before the sync is requeued with backoff. */
const conflictRetriesMax = 5;

export type Namespace = KubeObject & {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
};

/** The namespace calls the controller makes; REST-backed in the manager, a fake in unit tests. */
export interface NamespaceApi {
  get(name: string): Promise<Namespace>;
  updateStatus(namespace: Namespace): Promise<Namespace>;
  /** PUT /api/v1/namespaces/<name>/finalize: replaces spec.finalizers only. */
  finalize(namespace: Namespace): Promise<Namespace>;
  delete(name: string): Promise<void>;
}

export function restNamespaceApi(client: RestClient): NamespaceApi {
  const namespaces = client.resource<Namespace>({ group: '', version: 'v1', resource: 'namespaces', namespaced: false });
  return {
    get: (name) => namespaces.get(undefined, name),
    updateStatus: (namespace) => namespaces.updateStatus(undefined, namespace),
    finalize: (namespace) => client.request<Namespace>({ method: 'PUT', path: namespaces.path(undefined, namespace.metadata?.name ?? '', 'finalize'), body: { apiVersion: 'v1', kind: 'Namespace', ...namespace } }),
    async delete(name) {
      await namespaces.delete(undefined, name);
    },
  };
}

export interface NamespaceControllerOptions {
  namespaces: InformerView;
  namespaceApi: NamespaceApi;
  contentApi: NamespaceContentApi;
  deletionGracePeriodMs?: number;
  /** RFC 3339 clock for condition transition times (tests pin it). */
  now?: () => string;
}

export class NamespaceController {
  readonly queue = new WorkQueue<string>({ name: 'namespace' });
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly gracePeriodMs: number;

  constructor(private readonly options: NamespaceControllerOptions) {
    this.deleter = new NamespacedResourcesDeleter(options.contentApi, options.now);
    this.gracePeriodMs = options.deletionGracePeriodMs ?? defaultNamespaceDeletionGracePeriodMs;
    options.namespaces.addEventHandler({
      onAdd: (namespace) => this.enqueue(namespace),
      onUpdate: (_old, namespace) => this.enqueue(namespace),
      onDelete: (object) => this.queue.forget(unwrapDeleted(object).metadata?.name ?? ''),
    });
  }

  async run(workers = defaultNamespaceWorkers): Promise<void> {
    if (!(await this.options.namespaces.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNamespace(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  /** One pass over a namespace being deleted; key is its name. Throws to be retried with backoff. */
  async syncNamespace(key: string): Promise<void> {
    const cached = this.options.namespaces.cache.get(key);
    if (!cached?.metadata?.deletionTimestamp) return;
    // The cache may lag; decide on the namespace as it is now.
    let namespace = await this.getLive(key);
    if (!namespace?.metadata?.deletionTimestamp) return;
    if (!(namespace.spec?.finalizers ?? []).includes(kubernetesFinalizer)) return this.deleteWhenFinalized(key);

    const result = await this.deleter.deleteAllContent(key);
    const conditions = result.conditionUpdater.update(namespace.status?.conditions ?? []);
    if (conditions || namespace.status?.phase !== 'Terminating') {
      const desired = structuredClone(namespace);
      desired.status = { ...desired.status, phase: 'Terminating', conditions: conditions ?? desired.status?.conditions ?? [] };
      try {
        namespace = await this.options.namespaceApi.updateStatus(desired);
      } catch (error) {
        // Conditions are informative; a failed write is redone by the next pass.
        if (isNotFound(error)) return;
        if (!isConflict(error)) console.error(`namespace: updating status of ${key}: ${(error as Error).message}`);
      }
    }
    if (result.errors.length > 0) throw new Error(result.errors.join('; '));
    if (result.estimateSeconds > 0) {
      // Content is still going away (graceful pods, finalizers): look again in half the estimate.
      this.queue.addAfter(key, (Math.floor(result.estimateSeconds / 2) + 1) * 1000);
      return;
    }
    if (!(await this.finalize(key, namespace))) return;
    await this.deleteWhenFinalized(key);
  }

  /** Takes our token out of spec.finalizers; false when the namespace is already gone. */
  private async finalize(key: string, namespace: Namespace): Promise<boolean> {
    let current = namespace;
    for (let attempt = 0; ; attempt++) {
      const finalized = structuredClone(current);
      finalized.spec = { ...finalized.spec, finalizers: (finalized.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer) };
      try {
        await this.options.namespaceApi.finalize(finalized);
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        if (!isConflict(error) || attempt >= conflictRetriesMax) throw error;
      }
      const latest = await this.getLive(key);
      if (!latest) return false;
      current = latest;
    }
  }

  /** With every finalizer gone the server removes the namespace; if it is still there, delete it again (as upstream). */
  private async deleteWhenFinalized(key: string): Promise<void> {
    const namespace = await this.getLive(key);
    if (!namespace) return;
    if ((namespace.spec?.finalizers ?? []).length > 0 || (namespace.metadata?.finalizers ?? []).length > 0) return;
    try {
      await this.options.namespaceApi.delete(key);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async getLive(name: string): Promise<Namespace | undefined> {
    try {
      return await this.options.namespaceApi.get(name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private enqueue(namespace: KubeObject): void {
    const name = namespace.metadata?.name;
    if (!name || !namespace.metadata?.deletionTimestamp) return;
    // Delayed so HA API servers see the deletion and last-moment creations land before we list.
    this.queue.addAfter(name, this.gracePeriodMs);
  }
}
