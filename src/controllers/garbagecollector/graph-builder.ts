// Keeps the ownership graph in step with what the informers see (upstream's GraphBuilder,
// pkg/controller/garbagecollector/graph_builder.go). Informer handlers only append changes;
// one consumer applies them in order and hands the collector's workers what needs a decision:
// dependents whose owner went away (attemptToDelete), owners deleted with the orphan finalizer
// (attemptToOrphan), owners deleted in the foreground and their dependents (attemptToDelete).
import type { KubeObject } from '../../api/object.js';
import type { WorkQueue } from '../../client/index.js';
import type { OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { AbsentOwnerCache, Graph, GraphNode, identityString, referenceMatchesCoordinates, sameIdentity, type ObjectIdentity } from './graph.js';

export const orphanFinalizer = 'orphan';
export const foregroundDeletionFinalizer = 'foregroundDeletion';

/** An object as the garbage collector keeps it: identity, owners and deletion state only. */
export interface MetaObject extends KubeObject {
  apiVersion: string;
  kind: string;
}

export type GraphChange =
  | { type: 'add' | 'update'; object: MetaObject; oldObject?: MetaObject }
  | { type: 'delete'; object: MetaObject }
  /** The collector confirmed through the API that this identity does not exist. */
  | { type: 'virtualDelete'; identity: ObjectIdentity };

/** Graph changes waiting for the consumer; beyond this the producer is broken (upstream's queue is unbounded). */
export const graphChangesMax = 1_000_000;

export interface GraphBuilderOptions {
  attemptToDelete: WorkQueue<string>;
  attemptToOrphan: WorkQueue<string>;
  recorder: EventRecorder;
}

export function identityOf(object: MetaObject): ObjectIdentity {
  const meta = object.metadata ?? {};
  return { apiVersion: object.apiVersion, kind: object.kind, name: meta.name ?? '', uid: meta.uid ?? '', namespace: meta.namespace ?? '' };
}

function ownersOf(object: KubeObject): OwnerReference[] {
  return (object.metadata?.ownerReferences ?? []) as OwnerReference[];
}

function beingDeleted(object: KubeObject | undefined): boolean {
  return object?.metadata?.deletionTimestamp != null;
}

function hasFinalizer(object: KubeObject | undefined, finalizer: string): boolean {
  return (object?.metadata?.finalizers ?? []).includes(finalizer);
}

/** The object just started being deleted with this finalizer (or we see it so for the first time). */
function deletionStartsWithFinalizer(oldObject: KubeObject | undefined, object: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(object) || !hasFinalizer(object, finalizer)) return false;
  if (!oldObject) return true;
  return !beingDeleted(oldObject) || !hasFinalizer(oldObject, finalizer);
}

/** Dependents whose reference to the owner agrees with its identity, and those that do not (upstream's partitionDependents). */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dependent of dependents) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dependent.identity.namespace) {
      // A namespaced owner can own only objects of its own namespace.
      mismatch = true;
    } else {
      for (const reference of dependent.owners) {
        if (reference.uid !== owner.uid) continue;
        if (referenceMatchesCoordinates(reference, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dependent);
    if (mismatch) nonMatching.push(dependent);
  }
  return { matching, nonMatching };
}

export class GraphBuilder {
  readonly graph = new Graph();
  readonly absentOwnerCache = new AbsentOwnerCache();
  private readonly changes: GraphChange[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(private readonly options: GraphBuilderOptions) {}

  /** What informer handlers call: queue the change, apply it on a later turn. */
  enqueue(change: GraphChange): void {
    if (this.stopped) return;
    if (this.changes.length >= graphChangesMax) throw new Error(`garbage collector: graph changes queue is full (${graphChangesMax})`);
    this.changes.push(change);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.processGraphChanges();
    });
  }

  stop(): void {
    this.stopped = true;
    this.changes.length = 0;
  }

  /** Applies every queued change (unit tests call it directly). */
  processGraphChanges(): void {
    for (let change = this.changes.shift(); change; change = this.changes.shift()) this.processChange(change);
  }

  private processChange(change: GraphChange): void {
    if (change.type === 'virtualDelete') return this.processVirtualDelete(change.identity);
    const object = change.object;
    const identity = identityOf(object);
    const existing = this.graph.get(identity.uid);
    if (existing && !existing.observed) {
      // An owner we only knew by references is real: adopt the identity the informer shows.
      if (!sameIdentity(identity, existing.identity)) {
        const { nonMatching } = partitionDependents(existing.dependents, identity);
        for (const dependent of nonMatching) {
          if (identity.namespace !== '' && dependent.identity.namespace !== identity.namespace) this.reportInvalidNamespaceOwnerRef(dependent, identity.uid);
          this.options.attemptToDelete.add(dependent.identity.uid);
        }
        existing.identity = identity;
      }
      existing.observed = true;
    }
    if (change.type === 'delete') return this.processDelete(identity);
    if (!existing) {
      const node = new GraphNode(identity, false);
      node.owners = ownersOf(object);
      node.beingDeleted = beingDeleted(object);
      node.deletingDependents = node.beingDeleted && hasFinalizer(object, foregroundDeletionFinalizer);
      this.graph.set(node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(change.oldObject, object, node);
      return;
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, ownersOf(object));
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      // Owners waiting in the foreground for this dependent may be free now.
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = ownersOf(object);
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(object)) existing.beingDeleted = true;
    this.processTransitions(change.oldObject, object, existing);
  }

  private processDelete(identity: ObjectIdentity): void {
    const existing = this.graph.get(identity.uid);
    if (!existing) return;
    this.removeNode(existing);
  }

  private processVirtualDelete(deleted: ObjectIdentity): void {
    const existing = this.graph.get(deleted.uid);
    if (!existing) return;
    if (existing.virtual && !existing.observed) {
      const { matching, nonMatching } = partitionDependents(existing.dependents, deleted);
      if (nonMatching.length > 0) {
        // Some dependents name this uid with other coordinates; those are still unverified.
        this.absentOwnerCache.add(deleted);
        for (const dependent of matching) this.options.attemptToDelete.add(dependent.identity.uid);
        const alternative = nonMatching.flatMap((d) => d.owners).find((ref) => ref.uid === deleted.uid && !referenceMatchesCoordinates(ref, deleted));
        if (alternative && sameIdentity(existing.identity, deleted)) {
          existing.identity = { ...existing.identity, apiVersion: alternative.apiVersion, kind: alternative.kind, name: alternative.name };
          this.options.attemptToDelete.addRateLimited(existing.identity.uid);
        }
        return;
      }
      this.removeNode(existing, deleted);
      return;
    }
    if (!sameIdentity(existing.identity, deleted)) {
      // A real object disagrees with the coordinates found absent: only dependents using those are affected.
      const { matching } = partitionDependents(existing.dependents, deleted);
      if (matching.length > 0) {
        this.absentOwnerCache.add(deleted);
        for (const dependent of matching) this.options.attemptToDelete.add(dependent.identity.uid);
      }
      return;
    }
    this.removeNode(existing, deleted);
  }

  /** Removes a node; its dependents are re-examined, and foreground owners waiting on it look again. */
  private removeNode(node: GraphNode, identity: ObjectIdentity = node.identity): void {
    this.graph.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.absentOwnerCache.add(identity);
    for (const dependent of node.dependents) this.options.attemptToDelete.add(dependent.identity.uid);
    for (const owner of node.owners) {
      const ownerNode = this.graph.get(owner.uid);
      if (ownerNode?.deletingDependents) this.options.attemptToDelete.add(ownerNode.identity.uid);
    }
  }

  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.graph.get(owner.uid);
      if (!ownerNode) {
        // An owner not seen yet: a virtual node the collector verifies through the API.
        ownerNode = new GraphNode({ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, namespace: node.identity.namespace }, true);
        this.graph.set(ownerNode);
        ownerNode.dependents.add(node);
        this.options.attemptToDelete.add(owner.uid);
        continue;
      }
      ownerNode.dependents.add(node);
      if (potentiallyInvalid) continue;
      const ownerNamespace = ownerNode.identity.namespace;
      if (ownerNamespace !== '' && ownerNamespace !== node.identity.namespace) {
        if (ownerNode.observed) this.reportInvalidNamespaceOwnerRef(node, owner.uid);
        potentiallyInvalid = true;
      } else if (!referenceMatchesCoordinates(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      }
    }
    // The collector checks whether the references resolve; if none does the dependent goes.
    if (potentiallyInvalid) this.options.attemptToDelete.add(node.identity.uid);
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const owner of owners) this.graph.get(owner.uid)?.dependents.delete(node);
  }

  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly { old: OwnerReference; next: OwnerReference }[]): void {
    const unblocked = [...removed.filter((ref) => ref.blockOwnerDeletion === true), ...changed.filter(({ old, next }) => old.blockOwnerDeletion === true && next.blockOwnerDeletion !== true).map(({ next }) => next)];
    for (const reference of unblocked) {
      const owner = this.graph.get(reference.uid);
      if (owner?.deletingDependents) this.options.attemptToDelete.add(owner.identity.uid);
    }
  }

  private processTransitions(oldObject: KubeObject | undefined, object: KubeObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObject, object, orphanFinalizer)) {
      this.options.attemptToOrphan.add(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(oldObject, object, foregroundDeletionFinalizer)) {
      node.deletingDependents = true;
      for (const dependent of node.dependents) this.options.attemptToDelete.add(dependent.identity.uid);
      this.options.attemptToDelete.add(node.identity.uid);
    }
  }

  private reportInvalidNamespaceOwnerRef(node: GraphNode, ownerUid: string): void {
    const reference = node.owners.find((owner) => owner.uid === ownerUid);
    if (!reference) return;
    const invalid: ObjectIdentity = { apiVersion: reference.apiVersion, kind: reference.kind, name: reference.name, uid: reference.uid, namespace: node.identity.namespace };
    const involved = { apiVersion: node.identity.apiVersion, kind: node.identity.kind, metadata: { name: node.identity.name, namespace: node.identity.namespace || undefined, uid: node.identity.uid } };
    this.options.recorder.event(involved, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${identityString(invalid)} does not exist in namespace "${node.identity.namespace}"`);
  }
}

/** Owner references added, removed, and kept with a different body, by uid. */
export function referencesDiffs(old: readonly OwnerReference[], next: readonly OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; next: OwnerReference }[] } {
  const oldByUid = new Map(old.map((ref) => [ref.uid, ref]));
  const nextByUid = new Map(next.map((ref) => [ref.uid, ref]));
  const added = next.filter((ref) => !oldByUid.has(ref.uid));
  const removed = old.filter((ref) => !nextByUid.has(ref.uid));
  const changed: { old: OwnerReference; next: OwnerReference }[] = [];
  for (const ref of next) {
    const before = oldByUid.get(ref.uid);
    if (before && JSON.stringify(before) !== JSON.stringify(ref)) changed.push({ old: before, next: ref });
  }
  return { added, removed, changed };
}
