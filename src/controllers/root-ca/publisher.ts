// Upstream's root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
// every namespace not being deleted holds a "kube-root-ca.crt" ConfigMap with the cluster CA, so
// pods can verify the API server; a deleted or edited one is put back.
import type { KubeObject } from '../../api/object.js';
import { jsonEqual } from '../../api/object.js';
import { isNotFound, WorkQueue, runWorkers, type ResourceClient } from '../../client/index.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';

export const rootCaConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
export const rootCaDescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';
export const configMapResource = { group: '', version: 'v1', resource: 'configmaps', namespaced: true } as const;
/** Upstream watches only the one ConfigMap name it manages. */
export const rootCaConfigMapFieldSelector = `metadata.name=${rootCaConfigMapName}`;

export interface RootCaPublisherOptions {
  namespaces: InformerView;
  /** An informer restricted to rootCaConfigMapFieldSelector. */
  configMaps: InformerView;
  configMapClient: Pick<ResourceClient, 'create' | 'update'>;
  /** PEM of the cluster CA. */
  rootCaPem: string;
}

type ConfigMap = KubeObject & { data?: Record<string, string> };

export class RootCaPublisher {
  readonly queue = new WorkQueue<string>({ name: 'root_ca_cert_publisher' });

  constructor(private readonly options: RootCaPublisherOptions) {
    options.namespaces.addEventHandler({
      onAdd: (namespace) => this.enqueue(namespace.metadata?.name),
      onUpdate: (_old, namespace) => this.enqueue(namespace.metadata?.name),
    });
    options.configMaps.addEventHandler({
      onUpdate: (_old, configMap) => this.enqueueForConfigMap(configMap),
      onDelete: (object) => this.enqueueForConfigMap(unwrapDeleted(object)),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.namespaces.waitForSync()) || !(await this.options.configMaps.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNamespace(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  /** Creates or repairs the root CA ConfigMap of one namespace; key is the namespace's name. */
  async syncNamespace(key: string): Promise<void> {
    const namespace = this.options.namespaces.cache.get(key);
    // A namespace being deleted refuses new content, so creating would fail no matter what.
    if (!namespace || namespace.metadata?.deletionTimestamp) return;
    const data = { 'ca.crt': this.options.rootCaPem };
    const current = this.options.configMaps.cache.get(`${key}/${rootCaConfigMapName}`) as ConfigMap | undefined;
    if (!current) {
      try {
        await this.options.configMapClient.create(key, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCaConfigMapName, annotations: { [descriptionAnnotation]: rootCaDescription } },
          data,
        } as KubeObject);
      } catch (error) {
        // Don't retry a create if the namespace doesn't exist or is terminating (as upstream).
        if (isNotFound(error) || isNamespaceTerminating(error)) return;
        throw error;
      }
      return;
    }
    if (jsonEqual(current.data, data) && current.metadata?.annotations?.[descriptionAnnotation]) return;
    const updated = structuredClone(current) as ConfigMap;
    updated.data = data;
    updated.metadata = { ...updated.metadata, annotations: { ...updated.metadata?.annotations, [descriptionAnnotation]: rootCaDescription } };
    try {
      await this.options.configMapClient.update(key, updated);
    } catch (error) {
      // Deleted meanwhile: its delete event brings us back to create it.
      if (isNotFound(error)) return;
      throw error;
    }
  }

  private enqueueForConfigMap(configMap: KubeObject): void {
    if (configMap.metadata?.name === rootCaConfigMapName) this.enqueue(configMap.metadata.namespace);
  }

  private enqueue(name: string | undefined): void {
    if (name) this.queue.add(name);
  }
}
