// The generic registry: create, read, update and delete for one stored resource, calling the
// kind's behaviour (defaults, validation, strategy hooks) in one fixed order:
//   create: metadata -> setDefaults -> prepareForCreate -> validate -> admission -> store
//   update: metadata kept -> status/spec split -> setDefaults -> prepareForUpdate -> validate(+Update) -> admission -> store
// Reads come from the watch cache; writes go to the store, whose watch feeds the cache.
import { alreadyExists, conflict, invalid, notFound, staleObjectMessage, StatusError } from '../../api/errors.js';
import type { FieldError } from '../../api/field-errors.js';
import type { KindBehaviour } from '../../api/kinds/types.js';
import { deepCopy, type KubeObject } from '../../api/object.js';
import { KeyExistsError, KeyNotFoundError, RevisionConflictError } from '../../storage/errors.js';
import type { KeyValue, Store } from '../../storage/types.js';
import { decodeStored, WatchCache, type CachedObject } from '../watchcache/watch-cache.js';
import { objectKey, namespacePrefix, resourcePrefix, type StorageLocation } from './keys.js';
import { trackUpdate, type FieldTracking } from './managed-fields.js';
import { deletionFinalizers, type GarbageCollectionPolicy } from './gc-finalizers.js';
import { deepEqual, fillCreateMeta, keepServerMeta, metaOf, specOf, timestamp } from './object-meta.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager?: string;
  /** Record managedFields for this write (Update operation); absent for internal writes and applies. */
  tracking?: FieldTracking;
  /**
   * The caller hands `input` over (a decoded request body nothing else refers to; for update's
   * mutation, what it returned): the registry may change and store it instead of a copy.
   */
  inputOwned?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** What the kind does when no policy is given (v1 ReplicationControllers and batch/v1 Jobs orphan). */
  defaultGcPolicy?: GarbageCollectionPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type WriteOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** Checks and side effects outside one object's own rules (namespace lifecycle, IP allocation). */
export interface AdmissionPlugin {
  name: string;
  admit(request: { operation: WriteOperation; store: ResourceStore; object: KubeObject; old?: KubeObject; dryRun: boolean }): Promise<void>;
  /** Undo what admit reserved when the write did not happen, and release on delete. */
  release?(request: { operation: WriteOperation; store: ResourceStore; object: KubeObject }): Promise<void>;
}

export interface ResourceStoreOptions {
  store: Store;
  location: StorageLocation;
  /** The kind as stored (storage version). */
  group: string;
  version: string;
  kind: string;
  hasStatus: boolean;
  behaviour: KindBehaviour;
  /** Validates metadata (name format, labels); the kind's own validate comes after. */
  validateMeta(obj: KubeObject, old?: KubeObject): FieldError[];
  admission: readonly AdmissionPlugin[];
  /** Seconds to wait before removing, or undefined to remove at once (pods bound to nodes). */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
}

export type DeleteResult = { object: KubeObject; deleted: boolean };

/**
 * A deep copy of `obj` whose status (the part a status write replaces) is left null instead
 * of copied: copying it only to overwrite it would cost as much as the rest of a pod. The key
 * stays in its place, so the written object's members keep the stored order.
 */
function copyAllButStatus(obj: KubeObject): KubeObject {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) copy[key] = key === 'status' ? null : deepCopy((obj as Record<string, unknown>)[key]);
  return copy as KubeObject;
}

export class ResourceStore {
  readonly cache: WatchCache;
  private readonly store: Store;

  constructor(private settings: ResourceStoreOptions) {
    this.store = settings.store;
    this.cache = new WatchCache(settings.store, resourcePrefix(settings.location));
  }

  get options(): ResourceStoreOptions {
    return this.settings;
  }

  /** A custom resource's CRD changed its schema: defaults and validation follow it from now on. */
  useBehaviour(behaviour: KindBehaviour): void {
    this.settings = { ...this.settings, behaviour };
  }

  get namespaced(): boolean {
    return this.options.location.namespaced;
  }

  get ref(): { group: string; resource: string } {
    return { group: this.options.location.group, resource: this.options.location.resource };
  }

  key(namespace: string, name: string): string {
    return objectKey(this.options.location, namespace, name);
  }

  prefix(namespace: string): string {
    return namespacePrefix(this.options.location, namespace);
  }

  /** Waits until the cache has every write acknowledged so far (a consistent read). */
  async fresh(): Promise<void> {
    await this.cache.ready();
    await this.cache.waitForRevision(await this.store.currentRevision());
  }

  async get(namespace: string, name: string): Promise<CachedObject> {
    await this.fresh();
    const found = this.cache.get(this.key(namespace, name));
    if (!found) throw notFound(this.ref, name);
    return found;
  }

  async create(namespace: string, input: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const obj = options.inputOwned ? input : deepCopy(input);
    const meta = metaOf(obj);
    if (this.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    fillCreateMeta(obj, this.options.hasStatus);
    if (this.options.hasStatus && !this.options.behaviour.keepStatusOnCreate) delete obj.status;
    this.options.behaviour.setDefaults?.(obj);
    this.options.behaviour.prepareForCreate?.(obj);
    if (options.tracking) trackUpdate(obj, undefined, options.tracking, this.options);
    this.validate(obj);
    await this.admit('CREATE', obj, undefined, options.dryRun);
    if (options.dryRun) return obj;
    const name = meta.name!;
    try {
      const kv = await this.store.create(this.key(namespace, name), JSON.stringify(obj), obj);
      return this.stored(kv);
    } catch (error) {
      await this.release('CREATE', obj);
      if (error instanceof KeyExistsError) throw alreadyExists(this.ref, name);
      throw error;
    }
  }

  /**
   * Replaces an object. `subresource` "status" takes only the status from `input`; the main
   * resource takes everything but the status. `mutate` (for patches) computes the new object
   * from the current one and is retried on conflict; a plain update is not retried.
   */
  async update(
    namespace: string,
    name: string,
    next: KubeObject | ((current: KubeObject) => KubeObject | Promise<KubeObject>),
    options: WriteOptions & { subresource?: string; allowCreate?: boolean; readOnlyCurrent?: boolean },
  ): Promise<{ object: KubeObject; created: boolean }> {
    // Only the server-internal path below copies what it writes of an input built beside the cache.
    if (options.readOnlyCurrent && options.subresource !== 'binding') throw new Error(`readOnlyCurrent is for pods/binding writes, not ${options.subresource ?? 'the main resource'}`);
    const maxAttempts = typeof next === 'function' ? 5 : 1;
    for (let attempt = 1; ; attempt++) {
      await this.fresh();
      const current = this.cache.get(this.key(namespace, name));
      if (!current) {
        if (options.allowCreate && typeof next !== 'function') return { object: await this.create(namespace, next, options), created: true };
        throw notFound(this.ref, name);
      }
      // readOnlyCurrent: the mutation gets the cached object itself and builds a new one beside it
      // (sharing what it leaves alone) instead of changing a deep copy of it.
      const input = typeof next === 'function' ? await next(options.readOnlyCurrent ? current.object : deepCopy(current.object)) : next;
      try {
        return { object: await this.updateFrom(current, input, options), created: false };
      } catch (error) {
        // Only a lost race with another writer is retried; a stale resourceVersion the client sent is not.
        if (attempt >= maxAttempts || !(error as { retryable?: boolean }).retryable) throw error;
      }
    }
  }

  private async updateFrom(current: CachedObject, input: KubeObject, options: WriteOptions & { subresource?: string; readOnlyCurrent?: boolean }): Promise<KubeObject> {
    const old = current.object;
    const name = old.metadata!.name!;
    const sentVersion = input.metadata?.resourceVersion;
    if (sentVersion && sentVersion !== String(current.revision)) throw conflict(this.ref, name, staleObjectMessage);
    const sentUid = input.metadata?.uid;
    if (sentUid && sentUid !== old.metadata!.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${sentUid}, UID in object meta: ${old.metadata!.uid}`);
    }
    let obj: KubeObject;
    // Server-internal subresource writes (pods/binding) are trusted whole: no spec/status split.
    const internal = options.subresource === 'binding';
    if (internal) {
      // Built beside the cached object, the input may share parts with it: only its top level and
      // metadata, which are written below, are copied.
      if (options.readOnlyCurrent) obj = { ...input, metadata: { ...input.metadata } };
      else obj = options.inputOwned ? input : deepCopy(input);
      keepServerMeta(obj, old);
    } else if (options.subresource === 'finalize') {
      // namespaces/finalize changes only spec.finalizers.
      obj = deepCopy(old);
      obj.spec = { ...((old.spec as object) ?? {}), finalizers: (input.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [] };
    } else if (options.subresource === 'status' || options.subresource === 'approval') {
      // A status write changes only status: metadata and spec stay as stored. A CSR's approval
      // is status-like: its strategy then keeps all but the conditions.
      obj = copyAllButStatus(old);
      if (input.status === undefined) delete obj.status;
      else obj.status = options.inputOwned ? input.status : deepCopy(input.status);
    } else {
      obj = options.inputOwned ? input : deepCopy(input);
      keepServerMeta(obj, old);
      if (this.options.hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = deepCopy(old.status);
      }
    }
    // Validation sees the version being replaced; the stored value never carries one.
    obj.metadata!.resourceVersion = old.metadata!.resourceVersion;
    // An internal write changes only what the server sets (as upstream's binding, a storage-level
    // update): the rest was defaulted when it was written, and may be shared with the cache.
    if (!internal) this.options.behaviour.setDefaults?.(obj);
    // The scale subresource writes spec.replicas: it is a spec write like the main resource.
    const mainWrite = !options.subresource || options.subresource === 'scale';
    if (mainWrite) this.options.behaviour.prepareForUpdate?.(obj, old);
    const statusLike = options.subresource === 'status' || options.subresource === 'approval';
    if (statusLike) this.options.behaviour.prepareForStatusUpdate?.(obj, old, options.subresource!);
    if (mainWrite && !deepEqual(specOf(obj), specOf(old)) && obj.metadata!.generation !== undefined) {
      obj.metadata!.generation = (old.metadata!.generation ?? 0) + 1;
    }
    if (options.tracking && !internal) trackUpdate(obj, old, options.tracking, this.options, options.subresource || undefined);
    if (statusLike) this.validateStatus(obj, old, options.subresource!);
    else if (!internal) this.validate(obj, old);
    await this.admit('UPDATE', obj, old, options.dryRun);
    // A write that changes nothing is not stored: the resourceVersion stays and no event fires.
    // (An internal write always changes something: a binding refuses a pod that has a node.)
    if (!internal && deepEqual(obj, old)) return old;
    if (options.dryRun) return obj;
    delete obj.metadata!.resourceVersion;
    // The last finalizer removed from an object being deleted: the update completes the delete.
    // A namespace also waits for spec.finalizers (the namespace controller's), as in delete().
    const namespaceFinalizers = obj.kind === 'Namespace' ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    if (obj.metadata!.deletionTimestamp && !obj.metadata!.finalizers?.length && namespaceFinalizers.length === 0 && obj.metadata!.deletionGracePeriodSeconds === 0) {
      const removed = await this.store.delete(current.key, current.revision).catch((error: unknown) => this.mapWriteError(error, name));
      await this.release('DELETE', old);
      return decodeStored(removed.kv.key, JSON.stringify(obj), removed.revision).object;
    }
    try {
      const kv = await this.store.update(current.key, JSON.stringify(obj), current.revision, obj);
      return this.stored(kv);
    } catch (error) {
      return this.mapWriteError(error, name);
    }
  }

  /** The object a write stored: the cache's copy when the store already delivered it (SQLite does so synchronously). */
  private stored(kv: KeyValue): KubeObject {
    const cached = this.cache.get(kv.key);
    if (cached && cached.revision === kv.modRevision) return cached.object;
    return decodeStored(kv.key, kv.value, kv.modRevision).object;
  }

  async delete(namespace: string, name: string, options: DeleteOptions): Promise<DeleteResult> {
    await this.fresh();
    const current = this.cache.get(this.key(namespace, name));
    if (!current) throw notFound(this.ref, name);
    const old = current.object;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata!.uid) {
      throw new StatusError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata!.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata!.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata!.resourceVersion}`);
    }
    const finalizers = deletionFinalizers(old.metadata!.finalizers ?? [], options.propagationPolicy, options.defaultGcPolicy);
    const grace = this.options.gracePeriod?.(old, options.gracePeriodSeconds);
    const alreadyTerminating = old.metadata!.deletionTimestamp !== undefined;
    // A namespace also waits for spec.finalizers: the namespace controller empties it first.
    const namespaceFinalizers = old.kind === 'Namespace' ? ((old.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    if (finalizers.length > 0 || namespaceFinalizers.length > 0 || (grace !== undefined && grace > 0)) {
      // Graceful or finalized deletion: mark the object and let its owners finish the job.
      const marked = deepCopy(old);
      const meta = marked.metadata!;
      meta.finalizers = finalizers.length > 0 ? finalizers : undefined;
      if (!meta.finalizers) delete meta.finalizers;
      const seconds = grace ?? 0;
      const shortened = alreadyTerminating && meta.deletionGracePeriodSeconds !== undefined && seconds < meta.deletionGracePeriodSeconds;
      if (!alreadyTerminating || shortened) {
        meta.deletionTimestamp = timestamp(new Date(Date.now() + seconds * 1000));
        meta.deletionGracePeriodSeconds = seconds;
      }
      if (this.options.hasStatus && old.kind === 'Namespace') {
        marked.status = { ...((old.status as object) ?? {}), phase: 'Terminating' };
      }
      if (deepEqual(marked, old) || options.dryRun) return { object: marked, deleted: false };
      delete meta.resourceVersion;
      try {
        const kv = await this.store.update(current.key, JSON.stringify(marked), current.revision, marked);
        return { object: decodeStored(kv.key, kv.value, kv.modRevision).object, deleted: false };
      } catch (error) {
        return this.mapWriteError(error, name);
      }
    }
    await this.admit('DELETE', old, old, options.dryRun);
    if (options.dryRun) return { object: old, deleted: true };
    try {
      const removed = await this.store.delete(current.key, current.revision);
      await this.release('DELETE', old);
      return { object: decodeStored(removed.kv.key, removed.kv.value, removed.revision).object, deleted: true };
    } catch (error) {
      return this.mapWriteError(error, name);
    }
  }

  private validate(obj: KubeObject, old?: KubeObject): void {
    const behaviour = this.options.behaviour;
    const errors = [...this.options.validateMeta(obj, old), ...(behaviour.validate?.(obj) ?? [])];
    if (old) errors.push(...(behaviour.validateUpdate?.(obj, old) ?? []));
    if (errors.length > 0) throw invalid(this.options.group, this.options.kind, obj.metadata?.name ?? '', errors);
  }

  private validateStatus(obj: KubeObject, old: KubeObject, subresource: string): void {
    const errors = this.options.behaviour.validateStatusUpdate?.(obj, old, subresource) ?? [];
    if (errors.length > 0) throw invalid(this.options.group, this.options.kind, obj.metadata?.name ?? '', errors);
  }

  private async admit(operation: WriteOperation, object: KubeObject, old: KubeObject | undefined, dryRun: boolean): Promise<void> {
    for (const plugin of this.options.admission) await plugin.admit({ operation, store: this, object, old, dryRun });
  }

  private async release(operation: WriteOperation, object: KubeObject): Promise<void> {
    for (const plugin of this.options.admission) await plugin.release?.({ operation, store: this, object });
  }

  private mapWriteError(error: unknown, name: string): never {
    if (error instanceof RevisionConflictError) {
      const status = conflict(this.ref, name, staleObjectMessage);
      (status as { retryable?: boolean }).retryable = true;
      throw status;
    }
    if (error instanceof KeyNotFoundError) throw notFound(this.ref, name);
    throw error;
  }
}
