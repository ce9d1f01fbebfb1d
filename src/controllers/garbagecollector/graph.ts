// The garbage collector's ownership graph (upstream's pkg/controller/garbagecollector/graph.go):
// one node per object uid, holding only what ownership needs (identity, owner references,
// deletion state), and the set of nodes that name it as an owner. A "virtual" node stands for an
// owner some dependent names but no informer has shown us yet; the collector asks the API
// whether it exists.
import type { OwnerReference } from '../common/controller-ref.js';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (and for virtual owners, the dependent's namespace). */
  namespace: string;
}

/** Upstream's objectReference.String(), as it appears in event messages. */
export function identityString(identity: ObjectIdentity): string {
  return `[${identity.apiVersion}/${identity.kind}, namespace: ${identity.namespace}, name: ${identity.name}, uid: ${identity.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** An owner reference names the object when uid, name, kind and group agree; the version may differ. */
export function referenceMatchesCoordinates(reference: OwnerReference, identity: ObjectIdentity): boolean {
  return reference.uid === identity.uid && reference.name === identity.name && reference.kind === identity.kind && groupOf(reference.apiVersion) === groupOf(identity.apiVersion);
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** The object has a deletionTimestamp. */
  beingDeleted = false;
  /** Being deleted in the foreground: its dependents go first. */
  deletingDependents = false;
  /** Seen through an informer (false for virtual nodes until their object shows up). */
  observed: boolean;

  constructor(public identity: ObjectIdentity, readonly virtual: boolean) {
    this.observed = !virtual;
  }

  /** Dependents that hold this owner's deletion back (blockOwnerDeletion: true). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dependent) => dependent.owners.some((owner) => owner.uid === this.identity.uid && owner.blockOwnerDeletion === true));
  }
}

/** Upstream's uidToNode. */
export class Graph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  set(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  delete(uid: string): void {
    this.nodes.delete(uid);
  }

  get size(): number {
    return this.nodes.size;
  }
}

/** Absent owners recently confirmed, so dependents of one gone owner do not each ask the API again. */
export const absentOwnerCacheMax = 500;

export class AbsentOwnerCache {
  private readonly keys = new Set<string>();

  constructor(private readonly max = absentOwnerCacheMax) {}

  private static key(identity: ObjectIdentity): string {
    return [identity.apiVersion, identity.kind, identity.namespace, identity.name, identity.uid].join('|');
  }

  add(identity: ObjectIdentity): void {
    const key = AbsentOwnerCache.key(identity);
    this.keys.delete(key);
    this.keys.add(key);
    // A Set iterates in insertion order: the first key is the least recently added.
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
  }

  has(identity: ObjectIdentity): boolean {
    return this.keys.has(AbsentOwnerCache.key(identity));
  }
}
