// Upstream's persistentvolume-binder (pkg/controller/volume/persistentvolume): a volume queue and
// a claim queue, fed by the informers and by a full resync every pvClaimBinderSyncPeriodMs, each
// with its own worker. Deleting a claim wakes its volume (to release it); deleting a volume wakes
// its claim (to mark it Lost).
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { runWorkers, WorkQueue } from '../../client/index.js';
import { unwrapDeleted } from '../informer-view.js';
import { Binder, claimKeyOf, type BinderOptions } from './binder.js';
import { syncClaim } from './claim-sync.js';
import { claimWorkers, pvClaimBinderSyncPeriodMs, volumeWorkers } from './constants.js';
import { syncVolume } from './volume-sync.js';

export class PersistentVolumeController {
  readonly volumeQueue = new WorkQueue<string>({ name: 'volumes' });
  readonly claimQueue = new WorkQueue<string>({ name: 'claims' });
  readonly binder: Binder;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BinderOptions) {
    this.binder = new Binder(options);
    this.binder.onClaimNeedsSync = (key) => this.claimQueue.add(key);
    options.volumes.addEventHandler({
      onAdd: (pv) => this.volumeQueue.add(pv.metadata?.name ?? ''),
      onUpdate: (_old, pv) => this.volumeQueue.add(pv.metadata?.name ?? ''),
      onDelete: (object) => {
        const pv = unwrapDeleted(object) as PersistentVolume;
        this.volumeQueue.forget(pv.metadata?.name ?? '');
        this.binder.forget(`pv:${pv.metadata?.name ?? ''}`);
        const ref = pv.spec?.claimRef;
        if (ref?.name) this.claimQueue.add(`${ref.namespace ?? ''}/${ref.name}`);
      },
    });
    options.claims.addEventHandler({
      onAdd: (pvc) => this.claimQueue.add(claimKeyOf(pvc as PersistentVolumeClaim)),
      onUpdate: (_old, pvc) => this.claimQueue.add(claimKeyOf(pvc as PersistentVolumeClaim)),
      onDelete: (object) => {
        const pvc = unwrapDeleted(object) as PersistentVolumeClaim;
        this.claimQueue.forget(claimKeyOf(pvc));
        this.binder.forget(`pvc:${claimKeyOf(pvc)}`);
        if (pvc.spec?.volumeName) this.volumeQueue.add(pvc.spec.volumeName);
      },
    });
  }

  async run(_workers: number): Promise<void> {
    for (const informer of [this.options.volumes, this.options.claims, this.options.classes, this.options.pods]) {
      if (!(await informer.waitForSync())) return;
    }
    if (this.volumeQueue.isShuttingDown()) return;
    this.resyncTimer = setInterval(() => this.resync(), pvClaimBinderSyncPeriodMs);
    await Promise.all([
      runWorkers(this.volumeQueue, volumeWorkers, (name) => this.syncVolumeByName(name)),
      runWorkers(this.claimQueue, claimWorkers, (key) => this.syncClaimByKey(key)),
    ]);
  }

  shutDown(): void {
    clearInterval(this.resyncTimer);
    this.volumeQueue.shutDown();
    this.claimQueue.shutDown();
  }

  /** Upstream's resync: every volume and claim again, so missed or failed work is retried. */
  resync(): void {
    for (const pv of this.options.volumes.cache.list()) this.volumeQueue.add(pv.metadata?.name ?? '');
    for (const pvc of this.options.claims.cache.list()) this.claimQueue.add(claimKeyOf(pvc as PersistentVolumeClaim));
  }

  async syncVolumeByName(name: string): Promise<void> {
    const pv = this.binder.volume(name);
    if (pv) await syncVolume(this.binder, pv);
  }

  async syncClaimByKey(key: string): Promise<void> {
    const pvc = this.binder.claim(key);
    if (pvc) await syncClaim(this.binder, pvc);
  }
}
