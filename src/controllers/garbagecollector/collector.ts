// Upstream's garbage collector decisions (pkg/controller/garbagecollector/garbagecollector.go):
// attemptToDeleteItem decides for one object whether its owners are all gone (delete it), some
// are gone (drop those references) or waiting for it in the foreground (delete it, in the
// foreground if it owns things itself); an owner deleted in the foreground loses its
// foregroundDeletion finalizer once no blocking dependent is left; an owner deleted with the
// orphan finalizer first has its references removed from every dependent.
import { isConflict, WorkQueue } from '../../client/index.js';
import type { OwnerReference } from '../common/controller-ref.js';
import type { PropagationPolicy } from '../../apiserver/registry/gc-finalizers.js';
import type { GarbageCollectorApi, ObjectCoordinates } from './api.js';
import { foregroundDeletionFinalizer, orphanFinalizer, type GraphBuilder, type MetaObject } from './graph-builder.js';
import type { GraphNode, ObjectIdentity } from './graph.js';

/** Writes retried on a conflict before the item is requeued with backoff. */
export const conflictRetriesMax = 5;

/**
 * done: decided; forget: a virtual delete was queued or it can never be resolved; requeue: look
 * again later with backoff (a virtual owner that exists but its informer has not shown it yet).
 */
type Outcome = 'done' | 'forget' | 'requeue';

/** Thrown so the worker requeues with growing backoff without logging an error. */
export class RequeueItem extends Error {
  constructor(uid: string) {
    super(`${uid}: not observed through an informer yet`);
    this.name = 'RequeueItem';
  }
}

export class NamespacedOwnerOfClusterScopedObjectError extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
  }
}

export interface GarbageCollectorOptions {
  builder: GraphBuilder;
  api: GarbageCollectorApi;
  attemptToDelete: WorkQueue<string>;
  attemptToOrphan: WorkQueue<string>;
}

function ownersOf(object: MetaObject): OwnerReference[] {
  return (object.metadata?.ownerReferences ?? []) as OwnerReference[];
}

function coordinatesOf(identity: ObjectIdentity): ObjectCoordinates {
  return { apiVersion: identity.apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name };
}

export class GarbageCollector {
  constructor(private readonly options: GarbageCollectorOptions) {}

  private get graph() {
    return this.options.builder.graph;
  }

  /** One attemptToDelete item (a uid); throws to be retried with backoff. */
  async syncAttemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const outcome = await this.attemptToDeleteItem(node);
    if (outcome === 'requeue') throw new RequeueItem(uid);
  }

  /** One attemptToOrphan item (an owner's uid). */
  async syncAttemptToOrphan(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) return;
    await this.orphanDependents(owner.identity, [...owner.dependents]);
    await this.removeFinalizer(owner, orphanFinalizer);
  }

  async attemptToDeleteItem(item: GraphNode): Promise<Outcome> {
    // Deletion is a one-way trip: wait for it to finish, then the dependents are looked at.
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const latest = await this.options.api.get(coordinatesOf(item.identity));
    if (!latest || latest.metadata?.uid !== item.identity.uid) {
      // Gone (or replaced): tell the graph, which then re-examines the dependents.
      this.options.builder.enqueue({ type: 'virtualDelete', identity: item.identity });
      return 'forget';
    }
    // A virtual owner that exists: wait for its informer to show it, then decide.
    if (!item.observed) return 'requeue';
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item);
      return 'done';
    }
    const references = ownersOf(latest);
    if (references.length === 0) return 'done';
    let classified: { solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] };
    try {
      classified = await this.classifyReferences(item, references);
    } catch (error) {
      // Will not resolve on retry (upstream forgets the item too).
      if (error instanceof NamespacedOwnerOfClusterScopedObjectError) return 'forget';
      throw error;
    }
    const { solid, dangling, waiting } = classified;
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return 'done';
      // Some owner remains: keep the object, drop the references to owners that are gone or going.
      await this.removeOwnerReferences(item.identity, [...dangling, ...waiting].map((ref) => ref.uid));
      return 'done';
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      // An owner waits for us and we own things: go in the foreground too. If one of our
      // dependents itself waits for its dependents, make our references non-blocking to avoid a cycle.
      if ([...item.dependents].some((dependent) => dependent.deletingDependents)) await this.unblockOwnerReferences(item.identity);
      await this.deleteObject(item.identity, latest, 'Foreground');
      return 'done';
    }
    // No owner left: collect it, keeping the deletion mode its own finalizers ask for.
    const finalizers = latest.metadata?.finalizers ?? [];
    const policy: PropagationPolicy = finalizers.includes(orphanFinalizer) ? 'Orphan' : finalizers.includes(foregroundDeletionFinalizer) ? 'Foreground' : 'Background';
    await this.deleteObject(item.identity, latest, policy);
    return 'done';
  }

  /** A foreground owner: done once no dependent blocks it; until then its blocking dependents are pushed along. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(item, foregroundDeletionFinalizer);
      return;
    }
    for (const dependent of blocking) if (!dependent.deletingDependents) this.options.attemptToDelete.add(dependent.identity.uid);
  }

  private async classifyReferences(item: GraphNode, references: readonly OwnerReference[]) {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const reference of references) {
      const owner = await this.ownerOf(item, reference);
      if (!owner) dangling.push(reference);
      else if (owner.metadata?.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(foregroundDeletionFinalizer)) waiting.push(reference);
      else solid.push(reference);
    }
    return { solid, dangling, waiting };
  }

  /** The owner a reference names, or undefined when it is dangling (upstream's isDangling). */
  private async ownerOf(item: GraphNode, reference: OwnerReference): Promise<MetaObject | undefined> {
    const absent = this.options.builder.absentOwnerCache;
    const clusterScoped: ObjectIdentity = { apiVersion: reference.apiVersion, kind: reference.kind, name: reference.name, uid: reference.uid, namespace: '' };
    if (absent.has(clusterScoped) || absent.has({ ...clusterScoped, namespace: item.identity.namespace })) return undefined;
    const namespaced = this.options.api.isNamespaced(reference.apiVersion, reference.kind);
    const identity = { ...clusterScoped, namespace: namespaced ? item.identity.namespace : '' };
    if (item.identity.namespace === '' && namespaced) throw new NamespacedOwnerOfClusterScopedObjectError();
    // A namespaced owner is looked for in the dependent's own namespace: across namespaces it is absent.
    const owner = await this.options.api.get(coordinatesOf(identity));
    if (!owner || owner.metadata?.uid !== reference.uid) {
      absent.add(identity);
      return undefined;
    }
    return owner;
  }

  private async deleteObject(identity: ObjectIdentity, latest: MetaObject, propagationPolicy: PropagationPolicy): Promise<void> {
    const coordinates = coordinatesOf(identity);
    try {
      await this.options.api.delete(coordinates, { uid: identity.uid, resourceVersion: latest.metadata?.resourceVersion, propagationPolicy });
    } catch (error) {
      if (!isConflict(error)) throw error;
      // The object changed since we decided. If its owners are as we saw them the decision
      // stands; otherwise decide again.
      const live = await this.options.api.get(coordinates);
      if (!live || live.metadata?.uid !== identity.uid) return;
      if (JSON.stringify(ownersOf(live)) !== JSON.stringify(ownersOf(latest))) throw new Error(`${identity.kind} ${identity.namespace}/${identity.name}: owner references changed, deciding again`);
      await this.options.api.delete(coordinates, { uid: identity.uid, resourceVersion: live.metadata?.resourceVersion, propagationPolicy });
    }
  }

  /** Removes the owner from every dependent's ownerReferences; all are tried, the first failure is rethrown. */
  private async orphanDependents(owner: ObjectIdentity, dependents: readonly GraphNode[]): Promise<void> {
    const results = await Promise.allSettled(dependents.map((dependent) => this.removeOwnerReferences(dependent.identity, [owner.uid])));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw new Error(`orphaning dependents of ${owner.kind} ${owner.namespace}/${owner.name}: ${(failed.reason as Error).message}`);
  }

  /** Read-modify-write with resourceVersion, so it works for custom resources too (no strategic merge there). */
  private async updateWithRetry(identity: ObjectIdentity, change: (object: MetaObject) => object | undefined): Promise<void> {
    const coordinates = coordinatesOf(identity);
    for (let attempt = 1; ; attempt++) {
      const latest = await this.options.api.get(coordinates);
      if (!latest || latest.metadata?.uid !== identity.uid) return;
      const metadataPatch = change(latest);
      if (!metadataPatch) return;
      try {
        await this.options.api.patch(coordinates, { metadata: { ...metadataPatch, uid: identity.uid, resourceVersion: latest.metadata?.resourceVersion } });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= conflictRetriesMax) throw error;
      }
    }
  }

  private removeOwnerReferences(identity: ObjectIdentity, ownerUids: readonly string[]): Promise<void> {
    return this.updateWithRetry(identity, (latest) => {
      const references = ownersOf(latest);
      const remaining = references.filter((ref) => !ownerUids.includes(ref.uid));
      return remaining.length === references.length ? undefined : { ownerReferences: remaining.length > 0 ? remaining : null };
    });
  }

  private unblockOwnerReferences(identity: ObjectIdentity): Promise<void> {
    return this.updateWithRetry(identity, (latest) => {
      const references = ownersOf(latest);
      if (!references.some((ref) => ref.blockOwnerDeletion === true)) return undefined;
      return { ownerReferences: references.map((ref) => (ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref)) };
    });
  }

  private removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    return this.updateWithRetry(node.identity, (latest) => {
      const finalizers = latest.metadata?.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const remaining = finalizers.filter((f) => f !== finalizer);
      return { finalizers: remaining.length > 0 ? remaining : null };
    });
  }
}
