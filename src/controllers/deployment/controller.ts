// Upstream's DeploymentController (pkg/controller/deployment/deployment_controller.go): informer
// handlers find the Deployment behind each event and enqueue it; syncDeployment claims its
// ReplicaSets and runs one phase — status only, scale, Recreate or RollingUpdate.
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels.js';
import { objectKey, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { claimObjects, controllerOf, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { updateDeploymentStatus, type DeploymentSyncContext } from './context.js';
import { deploymentKind, getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import { rolloutRecreate, type PodsByReplicaSet } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { syncDeploymentStatus } from './status.js';
import { checkPausedConditions, isScalingEvent, sync } from './sync.js';
import type { Deployment, Pod, ReplicaSet } from './types.js';

export interface DeploymentControllerOptions {
  deployments: InformerView;
  replicaSets: InformerView;
  pods: InformerView;
  deploymentClient: Pick<ResourceClient, 'get' | 'updateStatus' | 'patch'>;
  replicaSetClient: Pick<ResourceClient, 'create' | 'update' | 'delete' | 'patch'>;
  recorder: EventRecorder;
  clock: Clock;
}

export class DeploymentController {
  readonly queue = new WorkQueue<string>({ name: 'deployment' });
  private readonly ctx: DeploymentSyncContext;

  constructor(private readonly options: DeploymentControllerOptions) {
    this.ctx = {
      deploymentClient: options.deploymentClient,
      replicaSetClient: options.replicaSetClient,
      replicaSetCache: options.replicaSets.cache,
      recorder: options.recorder,
      clock: options.clock,
      enqueueAfter: (d, delayMs) => this.queue.addAfter(objectKey(d), delayMs),
      enqueueRateLimited: (d) => this.queue.addRateLimited(objectKey(d)),
    };
    options.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(unwrapDeleted(d)),
    });
    options.replicaSets.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs as ReplicaSet),
      onUpdate: (old, rs) => this.updateReplicaSet(old as ReplicaSet, rs as ReplicaSet),
      onDelete: (rs) => this.deleteReplicaSet(unwrapDeleted(rs) as ReplicaSet),
    });
    options.pods.addEventHandler({ onDelete: (pod) => this.deletePod(unwrapDeleted(pod) as Pod) });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.deployments, this.options.replicaSets, this.options.pods]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncDeployment(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  // --- event handlers ------------------------------------------------------------------------

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, rs: ReplicaSet): void {
    if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
    const ref = controllerOf(rs);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(ref ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const oldOwner = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (oldOwner) this.enqueue(oldOwner);
    }
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(rs.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const ref = controllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** A Recreate rollout waits for the old pods to be gone; each deletion may be the last one. */
  private deletePod(pod: Pod): void {
    const rsRef = controllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.options.replicaSets.cache.get(`${pod.metadata?.namespace}/${rsRef.name}`);
    if (!rs || rs.metadata?.uid !== rsRef.uid) return;
    const ref = controllerOf(rs);
    const d = ref ? (this.resolveControllerRef(rs.metadata?.namespace ?? '', ref) as Deployment | undefined) : undefined;
    if (d?.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): KubeObject | undefined {
    if (ref.kind !== deploymentKind.kind) return undefined;
    const d = this.options.deployments.cache.get(`${namespace}/${ref.name}`);
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose (non-empty) selector matches an orphan ReplicaSet. */
  private deploymentsSelecting(rs: ReplicaSet): KubeObject[] {
    return this.options.deployments.cache.byIndex('namespace', rs.metadata?.namespace ?? '').filter((d) => {
      const selector = selectorOf(d as Deployment);
      return selector !== undefined && !selector.isEmpty() && selector.matches(rs.metadata?.labels);
    });
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(objectKey(d));
  }

  // --- sync ----------------------------------------------------------------------------------

  async syncDeployment(key: string): Promise<void> {
    const cached = this.options.deployments.cache.get(key) as Deployment | undefined;
    if (!cached) return;
    const d = structuredClone(cached) as Deployment;
    const selector = selectorOf(d);
    if (!selector) return;
    if (selector.isEmpty()) {
      this.options.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata?.generation };
        await updateDeploymentStatus(this.ctx, d);
      }
      return;
    }
    const sets = await this.claimReplicaSets(d, selector);
    if (d.metadata?.deletionTimestamp) {
      const { newRs, oldSets } = await getAllReplicaSetsAndSyncRevision(this.ctx, d, sets, false);
      return syncDeploymentStatus(this.ctx, [...oldSets, newRs], newRs, d);
    }
    await checkPausedConditions(this.ctx, d);
    if (d.spec?.paused) return sync(this.ctx, d, sets);
    const { scaling, sets: current } = await isScalingEvent(this.ctx, d, sets);
    if (scaling) return sync(this.ctx, d, current);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(this.ctx, d, current, this.podsByReplicaSet(d, selector, current));
    return rolloutRolling(this.ctx, d, current);
  }

  private claimReplicaSets(d: Deployment, selector: LabelSelector): Promise<ReplicaSet[]> {
    const candidates = this.options.replicaSets.cache.byIndex('namespace', d.metadata?.namespace ?? '') as ReplicaSet[];
    return claimObjects(candidates, {
      owner: d,
      ownerApiVersion: deploymentKind.apiVersion,
      ownerKind: deploymentKind.kind,
      matches: (rs) => selector.matches(rs.metadata?.labels),
      client: this.options.replicaSetClient,
      canAdopt: async () => {
        const fresh = await this.options.deploymentClient.get(d.metadata?.namespace, d.metadata?.name ?? '').catch(() => undefined);
        return fresh !== undefined && fresh.metadata?.uid === d.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
    });
  }

  /** Upstream's getPodMapForDeployment: the Deployment's pods by owning ReplicaSet. */
  private podsByReplicaSet(d: Deployment, selector: LabelSelector, sets: readonly ReplicaSet[]): PodsByReplicaSet {
    const map: PodsByReplicaSet = new Map(sets.map((rs) => [rs.metadata?.uid ?? '', []]));
    for (const pod of this.options.pods.cache.byIndex('namespace', d.metadata?.namespace ?? '') as Pod[]) {
      if (!selector.matches(pod.metadata?.labels)) continue;
      const owner = controllerOf(pod);
      if (owner) map.get(owner.uid)?.push(pod);
    }
    return map;
  }
}

function selectorOf(d: Deployment): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(d.spec?.selector);
  } catch {
    return undefined;
  }
}
