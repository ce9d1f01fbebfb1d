// Upstream's pvc-protection controller (pkg/controller/volume/pvcprotection): every claim carries
// the kubernetes.io/pvc-protection finalizer (added here, since k8ts has no
// StorageObjectInUseProtection admission), and a deleted claim keeps it while a scheduled pod
// that is not shut down still uses the claim. Pod changes wake the claims they use. The cache
// may lag behind a pod just created, so "not in use" is confirmed against the API.
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { runWorkers, WorkQueue, type DeletedFinalStateUnknown } from '../../client/index.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { claimKeyOf } from './binder.js';
import { pvcProtectionFinalizer } from './constants.js';

export interface PvcProtectionApi {
  /** Writes the claim's finalizers (an update carrying the cached resourceVersion). */
  setFinalizers(pvc: PersistentVolumeClaim, finalizers: string[]): Promise<void>;
  /** The namespace's pods, read from the API. */
  listPods(namespace: string): Promise<Pod[]>;
}

export interface PvcProtectionOptions {
  claims: InformerView;
  pods: InformerView;
  api: PvcProtectionApi;
}

/** Upstream's podIsShutDown: the kubelet is done with it, or it was force-deleted. */
function podIsShutDown(pod: Pod): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return true;
  return !!pod.metadata?.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds === 0;
}

function claimNamesOf(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim) return [v.persistentVolumeClaim.claimName];
    if (v.ephemeral) return [`${pod.metadata?.name}-${v.name}`];
    return [];
  });
}

/** Only scheduled pods count: the kubelet refuses to start a pod whose claim is being deleted. */
export function podUsesClaim(pod: Pod, pvc: PersistentVolumeClaim): boolean {
  if (!pod.spec?.nodeName || podIsShutDown(pod) || pod.metadata?.namespace !== pvc.metadata?.namespace) return false;
  return claimNamesOf(pod).includes(pvc.metadata?.name ?? '');
}

export class PvcProtectionController {
  readonly queue = new WorkQueue<string>({ name: 'pvcprotection' });

  constructor(private readonly options: PvcProtectionOptions) {
    options.claims.addEventHandler({
      onAdd: (pvc) => this.enqueueClaim(pvc as PersistentVolumeClaim),
      onUpdate: (_old, pvc) => this.enqueueClaim(pvc as PersistentVolumeClaim),
    });
    const podChanged = (object: KubeObject | DeletedFinalStateUnknown<KubeObject>): void => {
      const pod = unwrapDeleted(object) as unknown as Pod;
      for (const name of claimNamesOf(pod)) this.queue.add(`${pod.metadata?.namespace ?? ''}/${name}`);
    };
    options.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_old, pod) => podChanged(pod), onDelete: podChanged });
  }

  private enqueueClaim(pvc: PersistentVolumeClaim): void {
    const finalized = pvc.metadata?.finalizers?.includes(pvcProtectionFinalizer) ?? false;
    if (!finalized || pvc.metadata?.deletionTimestamp) this.queue.add(claimKeyOf(pvc));
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.claims.waitForSync()) || !(await this.options.pods.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.processClaim(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async processClaim(key: string): Promise<void> {
    const pvc = this.options.claims.cache.get(key) as unknown as PersistentVolumeClaim | undefined;
    if (!pvc) return;
    const finalizers = pvc.metadata?.finalizers ?? [];
    const finalized = finalizers.includes(pvcProtectionFinalizer);
    if (!pvc.metadata?.deletionTimestamp) {
      if (!finalized) await this.options.api.setFinalizers(pvc, [...finalizers, pvcProtectionFinalizer]);
      return;
    }
    if (!finalized || (await this.isBeingUsed(pvc))) return;
    await this.options.api.setFinalizers(pvc, finalizers.filter((f) => f !== pvcProtectionFinalizer));
  }

  private async isBeingUsed(pvc: PersistentVolumeClaim): Promise<boolean> {
    const cached = this.options.pods.cache.list() as unknown as Pod[];
    if (cached.some((pod) => podUsesClaim(pod, pvc))) return true;
    return (await this.options.api.listPods(pvc.metadata?.namespace ?? '')).some((pod) => podUsesClaim(pod, pvc));
  }
}
