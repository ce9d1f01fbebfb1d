// Upstream's ReplicaSetController (pkg/controller/replicaset/replica_set.go), which also runs
// ReplicationControllers: keeps spec.replicas active pods matching the selector, adopting orphans
// and releasing pods that stopped matching, and reports what it sees in status.
import type { KubeObject } from '../../api/object.js';
import type { LabelSelector } from '../../api/selectors/labels.js';
import { isNotFound, objectKey, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { claimObjects, controllerOf, newControllerRef, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { UidTrackingExpectations } from '../common/expectations.js';
import { isPodActive, isPodReady } from '../common/pod-util.js';
import { podFromTemplate, podNamePrefix } from '../common/pod-template.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import type { ReplicaKind } from './kind.js';
import { slowStartBatch, slowStartInitialBatchSize } from './slow-start.js';
import { calculateStatus, errorMessage, statusUnchanged } from './status.js';
import type { Pod, ReplicaSet } from './types.js';
import { getPodsToDelete } from './victims.js';

/** Upstream's BurstReplicas: at most this many pods created or deleted per sync. */
export const burstReplicas = 500;
/** Upstream's statusUpdateRetries: one re-read and retry after a conflicting status write. */
export const statusUpdateRetries = 1;

export interface ReplicaControllerOptions {
  kind: ReplicaKind;
  owners: InformerView;
  pods: InformerView;
  ownerClient: Pick<ResourceClient, 'get' | 'updateStatus'>;
  podClient: Pick<ResourceClient, 'create' | 'delete' | 'patch'>;
  recorder: EventRecorder;
  clock: Clock;
  burstReplicas?: number;
}

export class ReplicaSetController {
  readonly queue: WorkQueue<string>;
  readonly expectations: UidTrackingExpectations;
  private readonly kind: ReplicaKind;
  private readonly burst: number;

  constructor(private readonly options: ReplicaControllerOptions) {
    this.kind = options.kind;
    this.burst = options.burstReplicas ?? burstReplicas;
    this.queue = new WorkQueue<string>({ name: options.kind.queueName });
    this.expectations = new UidTrackingExpectations(options.clock);
    options.owners.addEventHandler({
      onAdd: (owner) => this.enqueue(owner),
      onUpdate: (old, owner) => {
        // A ReplicaSet deleted and re-created under the same name: forget the old one's expectations.
        if (old.metadata?.uid !== owner.metadata?.uid) this.expectations.deleteExpectations(objectKey(old));
        this.enqueue(owner);
      },
      onDelete: (object) => {
        const owner = unwrapDeleted(object);
        this.expectations.deleteExpectations(objectKey(owner));
        this.enqueue(owner);
      },
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod as Pod),
      onUpdate: (old, pod) => this.updatePod(old as Pod, pod as Pod),
      onDelete: (object) => this.deletePod(unwrapDeleted(object) as Pod),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.owners.waitForSync()) || !(await this.options.pods.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  // --- event handlers: they only find owners and enqueue keys -------------------------------

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const owner = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!owner) return;
      this.expectations.creationObserved(objectKey(owner));
      return this.enqueue(owner);
    }
    // An orphan: every matching owner gets a chance to adopt it.
    for (const owner of this.ownersSelecting(pod)) this.enqueue(owner);
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (pod.metadata?.deletionTimestamp) {
      // A graceful deletion: count it as deleted now, so a replacement is made without waiting.
      this.deletePod(pod);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(ref ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const oldOwner = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (oldOwner) this.enqueue(oldOwner);
    }
    if (ref) {
      const owner = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!owner) return;
      this.enqueue(owner);
      // A pod that just became ready turns available minReadySeconds later; look again then.
      const minReadySeconds = (owner as ReplicaSet).spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(pod) && minReadySeconds > 0) this.queue.addAfter(objectKey(owner), minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const owner of this.ownersSelecting(pod)) this.enqueue(owner);
  }

  private deletePod(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const owner = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObservedOf(key, objectKey(pod));
    this.enqueue(owner);
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind !== this.kind.kind) return undefined;
    const owner = this.options.owners.cache.get(`${namespace}/${ref.name}`);
    return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Owners whose selector matches the pod; an empty selector matches nothing here. */
  private ownersSelecting(pod: Pod): KubeObject[] {
    return this.options.owners.cache.byIndex('namespace', pod.metadata?.namespace ?? '').filter((owner) => {
      const selector = this.selectorOf(owner as ReplicaSet);
      return selector !== undefined && !selector.isEmpty() && selector.matches(pod.metadata?.labels);
    });
  }

  private selectorOf(owner: ReplicaSet): LabelSelector | undefined {
    try {
      return this.kind.selector(owner);
    } catch {
      return undefined;
    }
  }

  private enqueue(owner: KubeObject): void {
    this.queue.add(objectKey(owner));
  }

  // --- sync ---------------------------------------------------------------------------------

  async sync(key: string): Promise<void> {
    const cached = this.options.owners.cache.get(key) as ReplicaSet | undefined;
    if (!cached) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    const selector = this.selectorOf(cached);
    // A malformed selector cannot be fixed by retrying; validation normally prevents it.
    if (!selector) return;
    const namespace = cached.metadata?.namespace ?? '';
    const active = (this.options.pods.cache.byIndex('namespace', namespace) as Pod[]).filter(isPodActive);
    const pods = await this.claimPods(cached, selector, active);

    let manageError: unknown;
    if (needsSync && !cached.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(pods, cached, key);
      } catch (error) {
        manageError = error;
      }
    }
    const rs = structuredClone(cached) as ReplicaSet;
    const status = calculateStatus(rs, pods, manageError, this.options.clock.now());
    const updated = await this.updateStatus(rs, status);
    const minReadySeconds = updated.spec?.minReadySeconds ?? 0;
    const replicas = updated.spec?.replicas ?? 1;
    if (manageError === undefined && minReadySeconds > 0 && (updated.status?.readyReplicas ?? 0) === replicas && (updated.status?.availableReplicas ?? 0) !== replicas) {
      this.queue.addAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private claimPods(rs: ReplicaSet, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    return claimObjects(pods, {
      owner: rs,
      ownerApiVersion: this.kind.apiVersion,
      ownerKind: this.kind.kind,
      matches: (pod) => selector.matches(pod.metadata?.labels),
      client: this.options.podClient,
      // Upstream re-reads the owner: a deleted or re-created owner must not adopt.
      canAdopt: async () => {
        const fresh = await this.options.ownerClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '').catch(() => undefined);
        return fresh !== undefined && fresh.metadata?.uid === rs.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
    });
  }

  /** Creates or deletes pods to reach spec.replicas, at most the burst limit per sync. */
  private async manageReplicas(pods: Pod[], rs: ReplicaSet, key: string): Promise<void> {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) return this.createPods(Math.min(-diff, this.burst), rs, key);
    if (diff > 0) return this.deletePods(Math.min(diff, this.burst), pods, rs, key);
  }

  private async createPods(count: number, rs: ReplicaSet, key: string): Promise<void> {
    // Expect before creating: the informer may see a pod before create() even returns.
    this.expectations.expectCreations(key, count);
    const namespace = rs.metadata?.namespace ?? '';
    const controllerRef = newControllerRef(rs, this.kind.apiVersion, this.kind.kind);
    const { successes, error } = await slowStartBatch(count, slowStartInitialBatchSize, async () => {
      try {
        await this.createPod(rs, namespace, controllerRef);
      } catch (createError) {
        // Every later create would fail the same way; the namespace controller is cleaning up.
        if (isNamespaceTerminating(createError)) return;
        throw createError;
      }
    });
    // Creations never attempted (or refused) will never be observed.
    const skipped = count - successes;
    if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
    if (error !== undefined) throw error;
  }

  private async createPod(rs: ReplicaSet, namespace: string, controllerRef: OwnerReference): Promise<void> {
    const pod = podFromTemplate(rs.spec?.template, namespace, podNamePrefix(rs.metadata?.name ?? ''), controllerRef);
    if (!pod.metadata?.labels || Object.keys(pod.metadata.labels).length === 0) {
      const error = new Error('unable to create pods, no labels');
      this.options.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
      throw error;
    }
    try {
      const created = await this.options.podClient.create(namespace, pod as KubeObject);
      this.options.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (error) {
      this.options.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
      throw error;
    }
  }

  private async deletePods(count: number, pods: Pod[], rs: ReplicaSet, key: string): Promise<void> {
    const victims = getPodsToDelete(pods, this.relatedPods(rs), count, this.options.clock.now());
    this.expectations.expectDeletionsOf(key, victims.map(objectKey));
    const results = await Promise.allSettled(victims.map((pod) => this.deleteVictim(rs, key, pod)));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async deleteVictim(rs: ReplicaSet, key: string, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await this.options.podClient.delete(pod.metadata?.namespace, name);
      this.options.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    } catch (error) {
      // The informer will never see this deletion: stop waiting for it.
      this.expectations.deletionObservedOf(key, objectKey(pod));
      if (isNotFound(error)) return;
      this.options.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
      throw error;
    }
  }

  /**
   * Upstream's getIndirectlyRelatedPods: pods of every owner controlled by the same controller
   * (a Deployment's ReplicaSets), so scale-down prefers nodes where they double up.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const namespace = rs.metadata?.namespace ?? '';
    const parent = controllerOf(rs);
    const relatedOwners = new Set<string>([rs.metadata?.uid ?? '']);
    if (parent) {
      for (const owner of this.options.owners.cache.byIndex('namespace', namespace)) {
        if (controllerOf(owner)?.uid === parent.uid) relatedOwners.add(owner.metadata?.uid ?? '');
      }
    }
    return (this.options.pods.cache.byIndex('namespace', namespace) as Pod[]).filter((pod) => relatedOwners.has(controllerOf(pod)?.uid ?? '\0'));
  }

  /** Writes status when it changed, re-reading once after a conflict (upstream's updateReplicaSetStatus). */
  private async updateStatus(rs: ReplicaSet, status: ReplicaSet['status'] & object): Promise<ReplicaSet> {
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      if (statusUnchanged(current, status)) return current;
      const next = structuredClone(current);
      next.status = { ...status, observedGeneration: current.metadata?.generation };
      if (!next.status.observedGeneration) delete next.status.observedGeneration;
      try {
        return (await this.options.ownerClient.updateStatus(next.metadata?.namespace, next)) as ReplicaSet;
      } catch (error) {
        if (attempt >= statusUpdateRetries) throw error;
        current = (await this.options.ownerClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '')) as ReplicaSet;
      }
    }
  }
}
