// Upstream's StatefulPodControl: the writes a StatefulSet makes for one pod (its claims first,
// then the pod; identity and storage repairs; deletion), each recorded as an event worded as
// upstream's ("create Pod web-0 in StatefulSet web successful").
import { isAlreadyExists, isConflict, isNotFound, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../common/events.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../history/types.js';
import type { InformerView } from '../informer-view.js';
import { hasStalePodRef, isClaimOwnerUpToDate, retentionPolicy, updateClaimOwnerRefs } from './claims.js';
import { claimsFor, identityMatches, ordinalOf, claimName, storageMatches, updateIdentity, updateStorage } from './identity.js';

/** Conflicting pod updates retried in one call (client-go's retry.DefaultBackoff: 4 steps). */
export const podUpdateRetriesMax = 4;

export type PodClient = Pick<ResourceClient<Pod>, 'create' | 'get' | 'update' | 'delete'>;
export type ClaimClient = Pick<ResourceClient<PersistentVolumeClaim>, 'create' | 'get' | 'update'>;

export interface StatefulPodControlOptions {
  pods: PodClient;
  claims: ClaimClient;
  claimInformer: InformerView;
  recorder: EventRecorder;
}

type Verb = 'create' | 'update' | 'delete';
const reasons: Record<Verb, [string, string]> = {
  create: ['SuccessfulCreate', 'FailedCreate'],
  update: ['SuccessfulUpdate', 'FailedUpdate'],
  delete: ['SuccessfulDelete', 'FailedDelete'],
};

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

export class StatefulPodControl {
  constructor(private readonly options: StatefulPodControlOptions) {}

  private recordPodEvent(verb: Verb, set: StatefulSet, pod: Pod, error?: unknown): void {
    const [ok, failed] = reasons[verb];
    if (error === undefined) this.options.recorder.event(set, 'Normal', ok, `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} successful`);
    else this.options.recorder.event(set, 'Warning', failed, `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${message(error)}`);
  }

  private recordClaimEvent(verb: Verb, set: StatefulSet, pod: Pod, claim: PersistentVolumeClaim, error?: unknown): void {
    const [ok, failed] = reasons[verb];
    if (error === undefined) this.options.recorder.event(set, 'Normal', ok, `${verb} Claim ${claim.metadata?.name} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`);
    else this.options.recorder.event(set, 'Warning', failed, `${verb} Claim ${claim.metadata?.name} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${message(error)}`);
  }

  /** The claim from the informer's cache (upstream reads claims through a lister too). */
  getClaim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.options.claimInformer.cache.get(`${namespace}/${name}`) as PersistentVolumeClaim | undefined;
  }

  /** Creates the pod's missing claims; a claim being deleted is an error (the pod must wait for it). */
  async createPersistentVolumeClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const errors: string[] = [];
    for (const { claim } of claimsFor(set, pod)) {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      if (existing) {
        if (existing.metadata?.deletionTimestamp) errors.push(`pvc ${claim.metadata?.name} is being deleted`);
        continue;
      }
      try {
        await this.options.claims.create(claim.metadata?.namespace, claim);
        this.recordClaimEvent('create', set, pod, claim);
      } catch (error) {
        // Our cache lags behind a claim we created a moment ago: it exists, which is all we need.
        if (isAlreadyExists(error)) continue;
        errors.push(`failed to create PVC ${claim.metadata?.name}: ${message(error)}`);
        this.recordClaimEvent('create', set, pod, claim, error);
      }
    }
    if (errors.length > 0) throw new Error(errors.join(', '));
  }

  /** Claims first, then the pod, then the claims' owner references for the retention policy. */
  async createStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (error) {
      this.recordPodEvent('create', set, pod, error);
      throw error;
    }
    let created: Pod;
    try {
      created = await this.options.pods.create(pod.metadata?.namespace, pod);
    } catch (error) {
      // Already there: our cache is behind; the next sync sees it. Not worth an event.
      if (!isAlreadyExists(error)) this.recordPodEvent('create', set, pod, error);
      throw error;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, created);
    } catch (error) {
      this.recordPodEvent('update', set, pod, error);
      throw error;
    }
    this.recordPodEvent('create', set, pod);
  }

  async deleteStatefulPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await this.options.pods.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid } });
      this.recordPodEvent('delete', set, pod);
    } catch (error) {
      this.recordPodEvent('delete', set, pod, error);
      throw error;
    }
  }

  /** Upstream's PodClaimIsStale: with whenScaled=Delete, a claim still owned by a previous pod of this name blocks creation. */
  podClaimIsStale(set: StatefulSet, pod: Pod): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    return claimsFor(set, pod).some(({ claim }) => {
      const existing = this.getClaim(claim.metadata?.namespace ?? '', claim.metadata?.name ?? '');
      return existing !== undefined && hasStalePodRef(existing, pod);
    });
  }

  claimsMatchRetentionPolicy(set: StatefulSet, pod: Pod): boolean {
    const ordinal = ordinalOf(pod);
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const claim = this.getClaim(set.metadata?.namespace ?? '', claimName(set, template.metadata?.name ?? '', ordinal));
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  async updatePodClaimForRetentionPolicy(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = ordinalOf(pod);
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(set, template.metadata?.name ?? '', ordinal);
      const cached = this.getClaim(set.metadata?.namespace ?? '', name);
      // Missing (or not yet in our cache): the next sync picks it up.
      if (!cached || isClaimOwnerUpToDate(cached, set, pod)) continue;
      const claim = structuredClone(cached);
      updateClaimOwnerRefs(claim, set, pod);
      try {
        await this.options.claims.update(claim.metadata?.namespace, claim);
      } catch (error) {
        throw new Error(`could not update claim ${name} for delete policy ownerRefs: ${message(error)}`);
      }
    }
  }

  /** Upstream's UpdateStatefulPod: repairs identity, storage and claim ownership, retrying conflicts. */
  async updateStatefulPod(set: StatefulSet, cachedPod: Pod): Promise<void> {
    let pod = structuredClone(cachedPod);
    let attempted = false;
    let lastError: unknown;
    for (let attempt = 0; attempt <= podUpdateRetriesMax; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.createPersistentVolumeClaims(set, pod);
        } catch (error) {
          this.recordPodEvent('update', set, pod, error);
          throw error;
        }
      }
      if (!this.claimsMatchRetentionPolicy(set, pod)) {
        try {
          await this.updatePodClaimForRetentionPolicy(set, pod);
        } catch (error) {
          this.recordPodEvent('update', set, pod, error);
          throw error;
        }
        consistent = false;
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.options.pods.update(pod.metadata?.namespace, pod);
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
        if (!isConflict(error)) break;
        try {
          pod = await this.options.pods.get(set.metadata?.namespace, pod.metadata?.name ?? '');
        } catch (getError) {
          if (isNotFound(getError)) break;
        }
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastError);
    if (lastError !== undefined) throw lastError;
  }
}
