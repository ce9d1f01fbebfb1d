// The served API: one Endpoint per group/version/resource, sharing one ResourceStore per stored
// resource (autoscaling/v1 and v2 HPAs share one; core and events.k8s.io Events share one).
import { convert } from '../api/conversion/index.js';
import { behaviourFor, metaValidator } from '../api/kinds/index.js';
import { apiVersionOf, type KubeObject } from '../api/object.js';
import { builtinResources } from '../api/resources/catalog.js';
import type { KindBehaviour } from '../api/kinds/types.js';
import type { TablePrinter } from '../api/printers/index.js';
import type { ResourceInfo } from '../api/resources/types.js';
import type { Store } from '../storage/types.js';
import type { Endpoint } from './handlers/context.js';
import { ResourceStore, type AdmissionPlugin } from './registry/resource-store.js';

/** Resources with no objects of their own: answered by handlers in virtual/, never stored. */
const virtualResources = new Set([
  '/bindings',
  '/componentstatuses',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authorization.k8s.io/subjectaccessreviews',
]);

export interface ApiOptions {
  store: Store;
  admission: readonly AdmissionPlugin[];
  /** Pods bound to a node are deleted gracefully; everything else at once. */
  gracePeriod?(group: string, kind: string): ((obj: KubeObject, requested: number | undefined) => number | undefined) | undefined;
}

/** What a custom resource version brings that built-ins take from the catalogue and tables. */
export interface CustomResourceVersion {
  info: ResourceInfo;
  behaviour: KindBehaviour;
  printer: TablePrinter;
  pruneUnknownFields(obj: KubeObject): string[];
}

export class Api {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly stores = new Map<string, ResourceStore>();
  private readonly custom = new Map<string, ResourceInfo>();

  constructor(private readonly options: ApiOptions) {
    for (const info of builtinResources) this.add(info);
  }

  static key(group: string, version: string, resource: string): string {
    return `${group}/${version}/${resource}`;
  }

  endpoint(group: string, version: string, resource: string): Endpoint | undefined {
    return this.endpoints.get(Api.key(group, version, resource));
  }

  isVirtual(group: string, resource: string): boolean {
    return virtualResources.has(`${group}/${resource}`);
  }

  /** The store of a resource by its storage group and resource name ("" "namespaces"). */
  storeFor(group: string, resource: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${resource}`);
  }

  allStores(): ResourceStore[] {
    return [...this.stores.values()];
  }

  /** Every served resource, built-in first, then custom resources: what discovery lists. */
  resources(): ResourceInfo[] {
    return [...builtinResources, ...this.custom.values()];
  }

  /**
   * Serves the versions of one custom resource (replacing what was served for it before). All
   * versions share one store in the storage version; conversion between them is by apiVersion
   * only (strategy None).
   */
  serveCustom(group: string, resource: string, versions: readonly CustomResourceVersion[], storageVersion: string): void {
    this.unserveCustom(group, resource, { keepStore: true });
    const first = versions[0];
    if (!first) return;
    const storageKey = `${group}/${resource}`;
    const storageVersionInfo = versions.find((v) => v.info.version === storageVersion) ?? first;
    let store = this.stores.get(storageKey);
    if (!store || store.options.location.namespaced !== first.info.namespaced || store.options.version !== storageVersion || store.options.kind !== first.info.kind) {
      store?.cache.stop();
      store = new ResourceStore({
        store: this.options.store,
        location: { group, resource, namespaced: first.info.namespaced, qualifyWithGroup: true },
        group,
        version: storageVersion,
        kind: first.info.kind,
        hasStatus: storageVersionInfo.info.subresources.some((sub) => sub.name === 'status'),
        behaviour: storageVersionInfo.behaviour,
        validateMeta: metaValidator(group, first.info.kind, first.info.namespaced),
        admission: this.options.admission,
      });
      this.stores.set(storageKey, store);
    } else {
      // Same storage: take the new schema's defaults and validation.
      store.useBehaviour(storageVersionInfo.behaviour);
    }
    const storageApiVersion = apiVersionOf(group, storageVersion);
    for (const version of versions) {
      const apiVersion = apiVersionOf(group, version.info.version);
      const identity = apiVersion === storageApiVersion;
      const relabel = (target: string) => (obj: KubeObject): KubeObject => ({ ...obj, apiVersion: target });
      this.custom.set(Api.key(group, version.info.version, resource), version.info);
      this.endpoints.set(Api.key(group, version.info.version, resource), {
        info: version.info,
        store,
        apiVersion,
        identity,
        toStorage: identity ? (obj) => obj : relabel(storageApiVersion),
        fromStorage: identity ? (obj) => obj : relabel(apiVersion),
        printer: version.printer,
        pruneUnknownFields: version.pruneUnknownFields,
      });
    }
  }

  /** Stops serving a custom resource; its objects stay in the store unless the caller deletes them. */
  unserveCustom(group: string, resource: string, options: { keepStore?: boolean } = {}): void {
    for (const [key, info] of this.custom) {
      if (info.group !== group || info.resource !== resource) continue;
      this.custom.delete(key);
      this.endpoints.delete(key);
    }
    if (!options.keepStore) {
      this.stores.get(`${group}/${resource}`)?.cache.stop();
      this.stores.delete(`${group}/${resource}`);
    }
  }

  add(info: ResourceInfo): void {
    if (this.isVirtual(info.group, info.resource)) return;
    const storage = info.storage ?? { group: info.group, version: info.version, resource: info.resource };
    const storageKey = `${storage.group}/${storage.resource}`;
    let store = this.stores.get(storageKey);
    const storageInfo = builtinResources.find((r) => r.group === storage.group && r.version === storage.version && r.resource === storage.resource) ?? info;
    if (!store) {
      store = new ResourceStore({
        store: this.options.store,
        location: { group: storage.group, resource: storage.resource, namespaced: info.namespaced },
        group: storage.group,
        version: storage.version,
        kind: storageInfo.kind,
        hasStatus: storageInfo.subresources.some((sub) => sub.name === 'status'),
        behaviour: behaviourFor(storage.group, storageInfo.kind),
        validateMeta: metaValidator(storage.group, storageInfo.kind, info.namespaced),
        admission: this.options.admission,
        gracePeriod: this.options.gracePeriod?.(storage.group, storageInfo.kind),
      });
      this.stores.set(storageKey, store);
    }
    const apiVersion = apiVersionOf(info.group, info.version);
    const storageApiVersion = apiVersionOf(storage.group, storage.version);
    const identity = apiVersion === storageApiVersion && info.kind === storageInfo.kind;
    this.endpoints.set(Api.key(info.group, info.version, info.resource), {
      info,
      store,
      apiVersion,
      identity,
      toStorage: identity ? (obj) => obj : (obj) => convert(obj, storageApiVersion),
      fromStorage: identity ? (obj) => obj : (obj) => convert(obj, apiVersion),
    });
  }
}
