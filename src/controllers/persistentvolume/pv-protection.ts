// Upstream's pv-protection controller (pkg/controller/volume/pvprotection): every volume carries
// the kubernetes.io/pv-protection finalizer, and a deleted volume keeps it while it is Bound.
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { runWorkers, WorkQueue } from '../../client/index.js';
import type { InformerView } from '../informer-view.js';
import { pvProtectionFinalizer } from './constants.js';

export interface PvProtectionApi {
  setFinalizers(pv: PersistentVolume, finalizers: string[]): Promise<void>;
}

export class PvProtectionController {
  readonly queue = new WorkQueue<string>({ name: 'pvprotection' });

  constructor(private readonly options: { volumes: InformerView; api: PvProtectionApi }) {
    const enqueue = (pv: PersistentVolume): void => {
      const finalized = pv.metadata?.finalizers?.includes(pvProtectionFinalizer) ?? false;
      if (!finalized || pv.metadata?.deletionTimestamp) this.queue.add(pv.metadata?.name ?? '');
    };
    options.volumes.addEventHandler({ onAdd: (pv) => enqueue(pv as PersistentVolume), onUpdate: (_old, pv) => enqueue(pv as PersistentVolume) });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.volumes.waitForSync())) return;
    await runWorkers(this.queue, workers, (name) => this.processVolume(name));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async processVolume(name: string): Promise<void> {
    const pv = this.options.volumes.cache.get(name) as unknown as PersistentVolume | undefined;
    if (!pv) return;
    const finalizers = pv.metadata?.finalizers ?? [];
    const finalized = finalizers.includes(pvProtectionFinalizer);
    if (!pv.metadata?.deletionTimestamp) {
      if (!finalized) await this.options.api.setFinalizers(pv, [...finalizers, pvProtectionFinalizer]);
      return;
    }
    // A Bound volume may still be in use by a pod; the binder releases it once its claim is gone.
    if (!finalized || pv.status?.phase === 'Bound') return;
    await this.options.api.setFinalizers(pv, finalizers.filter((f) => f !== pvProtectionFinalizer));
  }
}
