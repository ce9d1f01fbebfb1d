// Owner references as controllers use them (upstream's ControllerRefManager): an object has at
// most one controller; a controller adopts matching orphans and releases owned objects that no
// longer match its selector. Adoption and release are strategic merge patches carrying the
// object's uid, so they fail rather than touch a re-created object of the same name.
import type { KubeObject } from '../../api/object.js';
import type { ResourceClient } from '../../client/index.js';
import { isNotFound } from '../../client/index.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerReferences(object: KubeObject): OwnerReference[] {
  return (object.metadata?.ownerReferences ?? []) as OwnerReference[];
}

/** The owner reference with controller: true, if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return ownerReferences(object).find((ref) => ref.controller === true);
}

/** The reference a controller puts on what it creates (controller and blockOwnerDeletion true). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  const ref = controllerOf(object);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** Whether an object belongs to the owner by selector. */
  matches(object: T): boolean;
  client: Pick<ResourceClient, 'patch'>;
  /**
   * Checked once, right before the first adoption: upstream re-reads the owner from the API and
   * refuses to adopt if it is being deleted or was replaced (uid changed).
   */
  canAdopt?: () => Promise<boolean>;
  /** Finalizers added with the owner reference on adoption (the job controller's tracking finalizer). */
  finalizers?: readonly string[];
}

/**
 * Upstream's ClaimPods/ClaimReplicaSets: returns the objects the owner controls after adopting
 * matching orphans and releasing owned objects that stopped matching. Objects being deleted are
 * neither adopted nor released.
 */
export async function claimObjects<T extends KubeObject>(candidates: readonly T[], options: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  let adoptionAllowed: boolean | undefined;
  for (const object of candidates) {
    const ref = controllerOf(object);
    if (ref) {
      if (ref.uid !== options.owner.metadata?.uid) continue;
      if (options.matches(object) || object.metadata?.deletionTimestamp || options.owner.metadata?.deletionTimestamp) {
        claimed.push(object);
        continue;
      }
      await releaseObject(object, options).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      continue;
    }
    if (!options.matches(object) || object.metadata?.deletionTimestamp || options.owner.metadata?.deletionTimestamp) continue;
    adoptionAllowed ??= options.canAdopt ? await options.canAdopt() : true;
    if (!adoptionAllowed) continue;
    try {
      claimed.push((await adoptObject(object, options)) as T);
    } catch (error) {
      if (isNotFound(error)) continue;
      throw error;
    }
  }
  return claimed;
}

function adoptObject(object: KubeObject, options: ClaimOptions<KubeObject>): Promise<KubeObject> {
  const ref = newControllerRef(options.owner, options.ownerApiVersion, options.ownerKind);
  const patch = { metadata: { ownerReferences: [ref], uid: object.metadata?.uid, ...(options.finalizers?.length ? { finalizers: [...options.finalizers] } : {}) } };
  return options.client.patch(object.metadata?.namespace, object.metadata?.name ?? '', patch, 'strategic');
}

function releaseObject(object: KubeObject, options: ClaimOptions<KubeObject>): Promise<KubeObject> {
  const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: options.owner.metadata?.uid }], uid: object.metadata?.uid } };
  return options.client.patch(object.metadata?.namespace, object.metadata?.name ?? '', patch, 'strategic');
}
