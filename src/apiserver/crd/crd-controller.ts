// Serves custom resources from CustomResourceDefinitions, as upstream's apiextensions-apiserver:
// a CRD that is stored becomes endpoints, discovery and a store; its status says Established and
// NamesAccepted; deleting it deletes every custom resource of it first (the
// customresourcecleanup finalizer), then the CRD itself.
import { applySchemaDefaults, printerForCustomResource, pruneUnknownFields, validateCustomResource } from '../../api/crd/index.js';
import { StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo, SubresourceInfo, Verb } from '../../api/resources/types.js';
import type { Api, CustomResourceVersion } from '../api.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { CacheEvent } from '../watchcache/watch-cache.js';

export const cleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';
const allVerbs: readonly Verb[] = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
/** Custom resources deleted per pass when a CRD goes away. */
const cleanupBatch = 500;

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: object; scale?: { specReplicasPath?: string; statusReplicasPath?: string } };
  additionalPrinterColumns?: Parameters<typeof printerForCustomResource>[0];
}

interface CrdSpec {
  group: string;
  scope: 'Namespaced' | 'Cluster';
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  versions: CrdVersion[];
}

function condition(type: string, reason: string, message: string): Record<string, string> {
  return { type, status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), reason, message };
}

export class CrdController {
  private cancel: (() => void) | undefined;
  /** Serialises reactions so two events for one CRD never interleave. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: Api,
    private readonly crds: () => ResourceStore,
  ) {}

  async start(): Promise<void> {
    const store = this.crds();
    await store.fresh();
    for (const item of store.cache.list()) await this.reconcile(item.object);
    const watch = store.cache.watch(store.cache.currentRevision(), (event) => this.enqueue(event));
    this.cancel = watch?.cancel;
    for (const event of watch?.replay ?? []) this.enqueue(event);
  }

  stop(): void {
    this.cancel?.();
  }

  private enqueue(event: CacheEvent): void {
    this.chain = this.chain
      .then(() => (event.type === 'DELETED' ? this.forget(event.object.object) : this.reconcile(event.object.object)))
      .catch((error: Error) => {
        process.stderr.write(`k8ts crd controller: ${error.message}\n`);
      });
  }

  private async reconcile(crd: KubeObject): Promise<void> {
    const spec = crd.spec as CrdSpec;
    if (crd.metadata?.deletionTimestamp) return this.cleanUp(crd);
    this.serve(spec);
    await this.markEstablished(crd);
  }

  private serve(spec: CrdSpec): void {
    const storage = spec.versions.find((v) => v.storage) ?? spec.versions[0];
    if (!storage) return;
    const served = spec.versions.filter((v) => v.served).map((v) => this.versionOf(spec, v));
    this.api.serveCustom(spec.group, spec.names.plural, served, storage.name);
  }

  private versionOf(spec: CrdSpec, version: CrdVersion): CustomResourceVersion {
    const schema = version.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const subresources: SubresourceInfo[] = [];
    if (version.subresources?.status) subresources.push({ name: 'status', group: '', version: '', kind: spec.names.kind, verbs: ['get', 'patch', 'update'] });
    if (version.subresources?.scale) subresources.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    const info: ResourceInfo = {
      group: spec.group,
      version: version.name,
      resource: spec.names.plural,
      singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind,
      namespaced: spec.scope !== 'Cluster',
      verbs: allVerbs,
      shortNames: spec.names.shortNames ?? [],
      categories: spec.names.categories ?? [],
      subresources,
    };
    return {
      info,
      printer: printerForCustomResource(version.additionalPrinterColumns),
      pruneUnknownFields: (obj) => pruneUnknownFields(obj, schema),
      behaviour: {
        setDefaults: (obj) => applySchemaDefaults(obj, schema),
        validate: (obj) => validateCustomResource(obj, schema),
        validateStatusUpdate: (obj) => validateCustomResource(obj, schema),
      },
    };
  }

  /** Sets NamesAccepted and Established, and the cleanup finalizer, once. */
  private async markEstablished(crd: KubeObject): Promise<void> {
    const store = this.crds();
    const name = crd.metadata!.name!;
    const spec = crd.spec as CrdSpec;
    if (!crd.metadata?.finalizers?.includes(cleanupFinalizer)) {
      await store.update('', name, (current) => {
        current.metadata!.finalizers = [...(current.metadata!.finalizers ?? []), cleanupFinalizer];
        return current;
      }, { dryRun: false }).catch(ignoreGone);
    }
    const status = (crd.status ?? {}) as { conditions?: { type: string; status: string }[]; acceptedNames?: unknown };
    const established = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established && JSON.stringify(status.acceptedNames) === JSON.stringify(acceptedNames(spec))) return;
    await store.update('', name, (current) => {
      current.status = {
        ...((current.status as object) ?? {}),
        acceptedNames: acceptedNames(spec),
        conditions: [condition('NamesAccepted', 'NoConflicts', 'no conflicts found'), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
        storedVersions: (current.status as { storedVersions?: string[] } | undefined)?.storedVersions ?? [spec.versions.find((v) => v.storage)?.name ?? ''],
      };
      return current;
    }, { dryRun: false, subresource: 'status' }).catch(ignoreGone);
  }

  /** A CRD being deleted: delete its custom resources, stop serving, then release the CRD. */
  private async cleanUp(crd: KubeObject): Promise<void> {
    const spec = crd.spec as CrdSpec;
    const store = this.api.storeFor(spec.group, spec.names.plural);
    if (store) {
      await store.fresh();
      for (;;) {
        const batch = store.cache.list().slice(0, cleanupBatch);
        if (batch.length === 0) break;
        for (const item of batch) {
          const meta = item.object.metadata ?? {};
          await store.delete(meta.namespace ?? '', meta.name ?? '', { dryRun: false }).catch(ignoreGone);
        }
        // Objects with finalizers of their own wait for them; do not spin on them.
        if (store.cache.list().every((item) => item.object.metadata?.deletionTimestamp)) break;
      }
    }
    this.api.unserveCustom(spec.group, spec.names.plural);
    await this.crds()
      .update('', crd.metadata!.name!, (current) => {
        current.metadata!.finalizers = (current.metadata!.finalizers ?? []).filter((f) => f !== cleanupFinalizer);
        return current;
      }, { dryRun: false })
      .catch(ignoreGone);
  }

  private async forget(crd: KubeObject): Promise<void> {
    const spec = crd.spec as CrdSpec;
    this.api.unserveCustom(spec.group, spec.names.plural);
  }
}

function acceptedNames(spec: CrdSpec): Record<string, unknown> {
  const names: Record<string, unknown> = { plural: spec.names.plural, singular: spec.names.singular ?? spec.names.kind.toLowerCase(), kind: spec.names.kind, listKind: spec.names.listKind ?? `${spec.names.kind}List` };
  if (spec.names.shortNames?.length) names.shortNames = spec.names.shortNames;
  if (spec.names.categories?.length) names.categories = spec.names.categories;
  return names;
}

function ignoreGone(error: unknown): void {
  if (error instanceof StatusError && error.code === 404) return;
  throw error;
}
