// Upstream's history.Interface (realHistory): listing, creating, renumbering, adopting and
// deleting an owner's ControllerRevisions through the API, reading from the informer's cache.
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import { isAlreadyExists, isConflict, isNotFound, type ResourceClient } from '../../client/index.js';
import { controllerOf, newControllerRef } from '../common/controller-ref.js';
import type { InformerView } from '../informer-view.js';
import { controllerRevisionName, equalRevision, hashControllerRevision } from './revision.js';
import type { ControllerRevision } from './types.js';

/** Names tried with a growing collision count before creation gives up (upstream loops forever). */
export const revisionCollisionRetriesMax = 10;
/** Conflicting writes retried when renumbering a revision (client-go's retry.DefaultRetry: 5 steps). */
export const revisionUpdateRetriesMax = 5;

export type RevisionClient = Pick<ResourceClient<ControllerRevision>, 'create' | 'get' | 'update' | 'delete' | 'patch'>;

export class RevisionHistory {
  constructor(
    private readonly revisions: InformerView,
    private readonly client: RevisionClient,
  ) {}

  /**
   * Upstream's ListControllerRevisions: revisions in the owner's namespace matching its selector
   * that it controls or that nobody controls (orphans it may adopt).
   */
  list(owner: KubeObject, selector: unknown): ControllerRevision[] {
    const namespace = owner.metadata?.namespace ?? '';
    const matcher = labelSelectorFromObject(selector);
    return (this.revisions.cache.byIndex('namespace', namespace) as ControllerRevision[]).filter((revision) => {
      if (!matcher.matches(revision.metadata?.labels)) return false;
      const ref = controllerOf(revision);
      return !ref || ref.uid === owner.metadata?.uid;
    });
  }

  /**
   * Upstream's CreateControllerRevision: on a name collision with different data the collision
   * count grows and another name is tried. Returns the revision and the collision count used.
   */
  async create(owner: KubeObject, revision: ControllerRevision, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    let count = collisionCount;
    for (let attempt = 0; attempt <= revisionCollisionRetriesMax; attempt++) {
      const hash = hashControllerRevision(revision.data, count);
      const candidate = structuredClone(revision);
      candidate.metadata = { ...candidate.metadata, name: controllerRevisionName(owner.metadata?.name ?? '', hash) };
      try {
        return { revision: await this.client.create(owner.metadata?.namespace, candidate), collisionCount: count };
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
      const existing = await this.client.get(owner.metadata?.namespace, candidate.metadata.name ?? '');
      if (equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
      count++;
    }
    throw new Error(`could not find a free ControllerRevision name for ${owner.metadata?.name} after ${revisionCollisionRetriesMax} collisions`);
  }

  /** Upstream's UpdateControllerRevision: gives an existing revision a new number (a rollback to it). */
  async updateRevisionNumber(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    let current = revision;
    for (let attempt = 0; ; attempt++) {
      if (current.revision === newRevision) return current;
      const updated = structuredClone(current);
      updated.revision = newRevision;
      try {
        return await this.client.update(current.metadata?.namespace, updated);
      } catch (error) {
        if (!isConflict(error) || attempt >= revisionUpdateRetriesMax) throw error;
      }
      current = await this.client.get(current.metadata?.namespace, current.metadata?.name ?? '');
    }
  }

  async delete(revision: ControllerRevision): Promise<void> {
    try {
      await this.client.delete(revision.metadata?.namespace, revision.metadata?.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Upstream's AdoptControllerRevision: a patch adding the controller ref, guarded by the revision's uid. */
  async adopt(owner: KubeObject, ownerApiVersion: string, ownerKind: string, revision: ControllerRevision): Promise<ControllerRevision> {
    const patch = { metadata: { ownerReferences: [newControllerRef(owner, ownerApiVersion, ownerKind)], uid: revision.metadata?.uid } };
    return this.client.patch(revision.metadata?.namespace, revision.metadata?.name ?? '', patch, 'strategic');
  }
}
