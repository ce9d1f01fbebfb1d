// client-go's dynamic client in TypeScript: one RestClient per component (one connection pool,
// one rate limiter), and a typed ResourceClient per resource that builds upstream's URL paths.
import type { KubeObject } from '../api/object.js';
import type { RestConfig } from './config.js';
import type { Status } from './errors.js';
import { Transport, type HttpRequest } from './transport.js';
import { WatchStream } from './watch.js';

export interface ResourceRef {
  group: string;
  version: string;
  /** The plural resource name, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutMs?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of fields other managers own. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Server-side end of the watch; the server picks 30–60 min when absent. */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  /** Client side only: events arrive without metadata.managedFields (see managed-fields-trim.ts). */
  dropManagedFields?: boolean;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // JSON is YAML, so an apply configuration is sent as JSON under the YAML media type.
  apply: 'application/apply-patch+yaml',
};

export class RestClient {
  readonly transport: Transport;

  constructor(readonly config: RestConfig) {
    this.transport = new Transport(config);
  }

  /** The namespace of the kubeconfig context or the pod. */
  get namespace(): string {
    return this.transport.namespace;
  }

  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, ref);
  }

  /** A raw JSON request for paths no resource client covers (discovery, /version, /healthz). */
  request<T>(req: HttpRequest): Promise<T> {
    return this.transport.request<T>(req);
  }

  close(): void {
    this.transport.close();
  }
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(private readonly transport: Transport, readonly ref: ResourceRef) {}

  get apiVersion(): string {
    return this.ref.group === '' ? this.ref.version : `${this.ref.group}/${this.ref.version}`;
  }

  get(ns: string | undefined, name: string): Promise<T> {
    return this.transport.request<T>({ method: 'GET', path: this.path(ns, name) });
  }

  /** ns '' or undefined lists a namespaced resource across all namespaces. */
  list(ns: string | undefined, options: ListOptions = {}): Promise<ObjectList<T>> {
    const query = params({
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
    });
    return this.transport.request<ObjectList<T>>({ method: 'GET', path: this.path(ns), query, timeoutMs: options.timeoutMs });
  }

  create(ns: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>({ method: 'POST', path: this.path(ns), query: writeParams(options), body: this.withTypeMeta(object) });
  }

  /** A full replacement; metadata.resourceVersion makes it conditional (409 Conflict when stale). */
  update(ns: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>({ method: 'PUT', path: this.path(ns, nameOf(object)), query: writeParams(options), body: this.withTypeMeta(object) });
  }

  updateStatus(ns: string | undefined, object: T, options: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>({ method: 'PUT', path: this.path(ns, nameOf(object), 'status'), query: writeParams(options), body: this.withTypeMeta(object) });
  }

  patch(ns: string | undefined, name: string, patch: unknown, type: PatchType, options: PatchOptions = {}): Promise<T> {
    if (type === 'apply' && !options.fieldManager) throw new Error('server-side apply needs a fieldManager');
    const query = writeParams(options);
    if (options.force !== undefined) query.set('force', String(options.force));
    return this.transport.request<T>({ method: 'PATCH', path: this.path(ns, name, options.subresource), query, body: patch, contentType: patchContentTypes[type] });
  }

  /** Resolves with the object (when finalizers or graceful deletion keep it) or a Success Status. */
  delete(ns: string | undefined, name: string, options: DeleteOptions = {}): Promise<T | Status> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.dryRun) body.dryRun = ['All'];
    return this.transport.request<T | Status>({ method: 'DELETE', path: this.path(ns, name), body });
  }

  /** Opens a watch; resolves once the server accepted it. Iterate the stream for events, stop() to end it. */
  async watch(ns: string | undefined, options: WatchOptions = {}): Promise<WatchStream<T>> {
    const query = params({
      watch: true,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      timeoutSeconds: options.timeoutSeconds,
      sendInitialEvents: options.sendInitialEvents,
    });
    let destroy = (): void => undefined;
    const response = await this.transport.stream({ path: this.path(ns), query }, (destroyRequest) => (destroy = destroyRequest));
    return new WatchStream<T>(response, () => destroy(), { dropManagedFields: options.dropManagedFields });
  }

  /** Upstream's URL layout: /api/v1 or /apis/<group>/<version>, then namespaces/<ns>, resource, name, subresource. */
  path(ns: string | undefined, name?: string, subresource?: string): string {
    const { group, version, resource, namespaced } = this.ref;
    let path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    if (namespaced && ns) path += `/namespaces/${encodeURIComponent(ns)}`;
    path += `/${resource}`;
    if (name !== undefined) {
      if (name === '') throw new Error(`${resource}: a name is required`);
      if (namespaced && !ns) throw new Error(`${resource} "${name}": a namespace is required`);
      path += `/${encodeURIComponent(name)}`;
    }
    if (subresource) path += `/${subresource}`;
    return path;
  }

  private withTypeMeta(object: T): T {
    return object.apiVersion ? object : { ...object, apiVersion: this.apiVersion };
  }
}

function nameOf(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

function params(values: Record<string, string | number | boolean | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(key, String(value));
  return query;
}

function writeParams(options: WriteOptions): URLSearchParams {
  return params({ dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager, fieldValidation: options.fieldValidation });
}
