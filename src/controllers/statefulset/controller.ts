// Upstream's StatefulSetController (pkg/controller/statefulset/stateful_set.go): handlers map
// pods to their set and enqueue it; sync(key) claims the set's pods and revisions, then runs one
// update pass (update.ts), writes the status and trims the revision history.
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.js';
import { isConflict, isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { claimObjects, controllerOf, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { isPodReady } from '../common/pod-util.js';
import { RevisionHistory, type RevisionClient } from '../history/history.js';
import type { Pod, StatefulSet } from '../history/types.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isMemberOf, statefulSetApiVersion, statefulSetKind } from './identity.js';
import { StatefulPodControl, type ClaimClient, type PodClient } from './pod-control.js';
import { getStatefulSetRevisions, truncateHistory } from './revisions.js';
import { completeRollingUpdate, inconsistentStatus, type Status } from './status.js';
import { updateStatefulSet } from './update.js';

/** Status writes retried on conflict in one sync (client-go's retry.DefaultRetry: 5 steps). */
export const statusUpdateRetriesMax = 5;

export interface StatefulSetControllerOptions {
  sets: InformerView;
  pods: InformerView;
  revisions: InformerView;
  claims: InformerView;
  setClient: Pick<ResourceClient<StatefulSet>, 'get' | 'updateStatus'>;
  podClient: PodClient & Pick<ResourceClient<Pod>, 'patch'>;
  claimClient: ClaimClient;
  revisionClient: RevisionClient;
  recorder: EventRecorder;
  clock: Clock;
}

export class StatefulSetController {
  readonly queue = new WorkQueue<string>({ name: 'statefulset' });
  private readonly history: RevisionHistory;
  private readonly podControl: StatefulPodControl;

  constructor(private readonly options: StatefulSetControllerOptions) {
    this.history = new RevisionHistory(options.revisions, options.revisionClient);
    this.podControl = new StatefulPodControl({ pods: options.podClient, claims: options.claimClient, claimInformer: options.claims, recorder: options.recorder });
    options.sets.addEventHandler({
      onAdd: (set) => this.enqueue(set),
      onUpdate: (_old, set) => this.enqueue(set),
      onDelete: (set) => this.enqueue(unwrapDeleted(set)),
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod as Pod),
      onUpdate: (old, pod) => this.updatePod(old as Pod, pod as Pod),
      onDelete: (pod) => this.deletePod(unwrapDeleted(pod) as Pod),
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.sets, this.options.pods, this.options.revisions, this.options.claims]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  private enqueue(set: StatefulSet): void {
    const name = set.metadata?.name;
    if (name) this.queue.add(`${set.metadata?.namespace}/${name}`);
  }

  private resolveControllerRef(namespace: string | undefined, ref: OwnerReference): StatefulSet | undefined {
    if (ref.kind !== statefulSetKind) return undefined;
    const set = this.options.sets.cache.get(`${namespace}/${ref.name}`) as StatefulSet | undefined;
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  /** Sets whose selector matches an orphan pod: they may adopt it. */
  private setsForPod(pod: Pod): StatefulSet[] {
    return (this.options.sets.cache.byIndex('namespace', pod.metadata?.namespace ?? '') as StatefulSet[]).filter((set) => {
      const selector = safeSelector(set);
      return selector !== undefined && !selector.isEmpty() && selector.matches(pod.metadata?.labels);
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const set = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (set) this.enqueue(set);
      return;
    }
    for (const set of this.setsForPod(pod)) this.enqueue(set);
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    const refChanged = JSON.stringify(oldRef) !== JSON.stringify(ref);
    if (refChanged && oldRef) {
      const oldSet = this.resolveControllerRef(old.metadata?.namespace, oldRef);
      if (oldSet) this.enqueue(oldSet);
    }
    if (ref) {
      const set = this.resolveControllerRef(pod.metadata?.namespace, ref);
      if (!set) return;
      this.enqueue(set);
      // Availability is a matter of time after readiness: look again once minReadySeconds passed.
      const minReadySeconds = set.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old as never) && isPodReady(pod as never) && minReadySeconds > 0) this.queue.addAfter(`${set.metadata?.namespace}/${set.metadata?.name}`, minReadySeconds * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const set of this.setsForPod(pod)) this.enqueue(set);
  }

  private deletePod(pod: Pod): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const set = this.resolveControllerRef(pod.metadata?.namespace, ref);
    if (set) this.enqueue(set);
  }

  /** Re-reads the set: adoption is refused if it is being deleted or was replaced (uid changed). */
  private canAdopt(set: StatefulSet): () => Promise<boolean> {
    return async () => {
      try {
        const fresh = await this.options.setClient.get(set.metadata?.namespace, set.metadata?.name ?? '');
        return fresh.metadata?.uid === set.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    };
  }

  async sync(key: string): Promise<void> {
    const cached = this.options.sets.cache.get(key) as StatefulSet | undefined;
    if (!cached) return;
    const selector = safeSelector(cached);
    // A selector that does not parse is a permanent error: retrying cannot help.
    if (!selector) return;
    const set = structuredClone(cached);
    const namespace = set.metadata?.namespace ?? '';

    const orphans = this.history.list(set, set.spec?.selector).filter((revision) => !controllerOf(revision));
    if (orphans.length > 0) {
      if (!(await this.canAdopt(set)())) throw new Error(`can't adopt ControllerRevisions of StatefulSet ${key}`);
      for (const revision of orphans) await this.history.adopt(set, statefulSetApiVersion, statefulSetKind, revision);
    }

    const candidates = (this.options.pods.cache.byIndex('namespace', namespace) as Pod[]).filter((pod) => isMemberOf(set, pod));
    const pods = await claimObjects(candidates, {
      owner: set,
      ownerApiVersion: statefulSetApiVersion,
      ownerKind: statefulSetKind,
      matches: (pod) => selector.matches(pod.metadata?.labels) && isMemberOf(set, pod),
      client: this.options.podClient,
      canAdopt: this.canAdopt(set),
    });

    const revisions = this.history.list(set, set.spec?.selector);
    let live: { current?: (typeof revisions)[number]; update?: (typeof revisions)[number] } = {};
    try {
      const { currentRevision, updateRevision, collisionCount } = await getStatefulSetRevisions(set, revisions, this.history);
      live = { current: currentRevision, update: updateRevision };
      const { status, error } = await updateStatefulSet({ set, pods, currentRevision, updateRevision, collisionCount, podControl: this.podControl, nowMs: this.options.clock.now() });
      await this.updateStatus(set, status);
      if (error !== undefined) throw error;
      const minReadySeconds = set.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && status.availableReplicas !== (set.spec?.replicas ?? 1)) this.queue.addAfter(key, minReadySeconds * 1000);
    } finally {
      await truncateHistory(set, pods, revisions, live, this.history);
    }
  }

  private async updateStatus(set: StatefulSet, status: Status): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    let current = set;
    for (let attempt = 0; ; attempt++) {
      const desired = structuredClone(current);
      desired.status = { ...desired.status, ...status };
      try {
        await this.options.setClient.updateStatus(desired.metadata?.namespace, desired);
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error) || attempt >= statusUpdateRetriesMax) throw error;
      }
      current = await this.options.setClient.get(set.metadata?.namespace, set.metadata?.name ?? '');
    }
  }
}

function safeSelector(set: StatefulSet): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(set.spec?.selector);
  } catch {
    return undefined;
  }
}
