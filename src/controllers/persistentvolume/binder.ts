// What the claim and volume syncs share (upstream's pv_controller.go helpers): reading the
// freshest copy of an object, binding a volume and a claim to each other, unbinding, and the
// status writes with their events. Every write goes through PvApi, so unit tests use a fake.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import { rfc3339, type Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import type { InformerView } from '../informer-view.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from './constants.js';
import { isVolumeBoundToClaim } from './match.js';

export type VolumePhase = 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';
export type ClaimPhase = 'Pending' | 'Bound' | 'Lost';

export interface PvApi {
  updateVolume(pv: PersistentVolume): Promise<PersistentVolume>;
  updateVolumeStatus(pv: PersistentVolume): Promise<PersistentVolume>;
  /** Deletes with a uid precondition; NotFound counts as done. */
  deleteVolume(pv: PersistentVolume): Promise<void>;
  /** From the API, not the cache; undefined when gone. */
  getVolume(name: string): Promise<PersistentVolume | undefined>;
  getClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  updateClaim(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
  updateClaimStatus(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim>;
  /** The hostPath deleter's os.RemoveAll, on the controller manager's host. */
  removeHostPath(path: string): void;
}

export interface BinderOptions {
  volumes: InformerView;
  claims: InformerView;
  classes: InformerView;
  pods: InformerView;
  api: PvApi;
  recorder: EventRecorder;
  clock: Clock;
}

type Versioned = { metadata?: { resourceVersion?: string } };
const rv = (object: Versioned | undefined): number => Number(object?.metadata?.resourceVersion ?? 0) || 0;

export const claimKeyOf = (pvc: PersistentVolumeClaim): string => `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;

export class Binder {
  /**
   * What we wrote last, per key, until the informer shows it (upstream's storeObjectUpdate):
   * the next sync must not act on an older copy and fail with a Conflict.
   */
  private readonly written = new Map<string, Versioned>();
  /** Keys of claims the volume sync wants synced soon (upstream's claimQueue.Add). */
  onClaimNeedsSync: (key: string) => void = () => undefined;

  constructor(readonly options: BinderOptions) {}

  private fresher<T extends Versioned>(key: string, cached: T | undefined): T | undefined {
    const mine = this.written.get(key) as T | undefined;
    if (!mine) return cached;
    if (!cached || rv(mine) > rv(cached)) return mine;
    this.written.delete(key);
    return cached;
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  volume(name: string): PersistentVolume | undefined {
    return this.fresher(`pv:${name}`, this.options.volumes.cache.get(name) as unknown as PersistentVolume | undefined);
  }

  volumesList(): PersistentVolume[] {
    return (this.options.volumes.cache.list() as unknown as PersistentVolume[]).map((pv) => this.volume(pv.metadata?.name ?? '') ?? pv);
  }

  claim(key: string): PersistentVolumeClaim | undefined {
    return this.fresher(`pvc:${key}`, this.options.claims.cache.get(key) as unknown as PersistentVolumeClaim | undefined);
  }

  storageClass(name: string): StorageClass | undefined {
    return this.options.classes.cache.get(name) as unknown as StorageClass | undefined;
  }

  pods(): Pod[] {
    return this.options.pods.cache.list() as unknown as Pod[];
  }

  event(object: PersistentVolume | PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.options.recorder.event(object as KubeObject, type, reason, message);
  }

  private rememberVolume(pv: PersistentVolume): PersistentVolume {
    this.written.set(`pv:${pv.metadata?.name ?? ''}`, pv);
    return pv;
  }

  private rememberClaim(pvc: PersistentVolumeClaim): PersistentVolumeClaim {
    this.written.set(`pvc:${claimKeyOf(pvc)}`, pvc);
    return pvc;
  }

  async updateVolume(pv: PersistentVolume): Promise<PersistentVolume> {
    return this.rememberVolume(await this.options.api.updateVolume(pv));
  }

  async updateClaim(pvc: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
    return this.rememberClaim(await this.options.api.updateClaim(pvc));
  }

  /** Upstream's updateVolumePhase; the API server does not stamp lastPhaseTransitionTime on update, so we do. */
  async updateVolumePhase(pv: PersistentVolume, phase: VolumePhase, message: string): Promise<PersistentVolume> {
    if (pv.status?.phase === phase && (pv.status?.message ?? '') === message) return pv;
    const status = { ...pv.status, phase, ...(message ? { message } : {}) };
    if (!message) delete status.message;
    if (pv.status?.phase !== phase) status.lastPhaseTransitionTime = rfc3339(this.options.clock.now());
    return this.rememberVolume(await this.options.api.updateVolumeStatus({ ...pv, status }));
  }

  /** Upstream's updateVolumePhaseWithEvent: the event only when the phase changes. */
  async updateVolumePhaseWithEvent(pv: PersistentVolume, phase: VolumePhase, type: 'Normal' | 'Warning', reason: string, message: string): Promise<PersistentVolume> {
    if (pv.status?.phase === phase) return pv;
    const updated = await this.updateVolumePhase(pv, phase, message);
    this.event(updated, type, reason, message);
    return updated;
  }

  /** Upstream's updateClaimStatus: phase, and the volume's access modes and (on becoming Bound) capacity. */
  async updateClaimStatus(pvc: PersistentVolumeClaim, phase: ClaimPhase, pv: PersistentVolume | undefined): Promise<PersistentVolumeClaim> {
    const status = { ...pvc.status };
    let dirty = false;
    if (status.phase !== phase) {
      status.phase = phase;
      dirty = true;
    }
    if (!pv) {
      if (status.accessModes) (delete status.accessModes, (dirty = true));
      if (status.capacity) (delete status.capacity, (dirty = true));
    } else {
      if (JSON.stringify(status.accessModes ?? null) !== JSON.stringify(pv.spec?.accessModes ?? null)) {
        status.accessModes = pv.spec?.accessModes;
        dirty = true;
      }
      // Only when becoming Bound: a differing size may be intentional (a filesystem smaller than its device).
      if (pvc.status?.phase !== phase) {
        const capacity = pv.spec?.capacity?.storage;
        if (capacity === undefined) throw new Error(`PersistentVolume "${pv.metadata?.name}" is without a storage capacity`);
        if (status.capacity?.storage !== capacity) {
          status.capacity = pv.spec?.capacity;
          dirty = true;
        }
      }
    }
    if (!dirty) return pvc;
    return this.rememberClaim(await this.options.api.updateClaimStatus({ ...pvc, status }));
  }

  async updateClaimStatusWithEvent(pvc: PersistentVolumeClaim, phase: ClaimPhase, pv: PersistentVolume | undefined, type: 'Normal' | 'Warning', reason: string, message: string): Promise<PersistentVolumeClaim> {
    if (pvc.status?.phase === phase) return pvc;
    const updated = await this.updateClaimStatus(pvc, phase, pv);
    this.event(updated, type, reason, message);
    return updated;
  }

  /** Upstream's bind: PV claimRef, PV phase Bound, PVC volumeName and annotations, PVC status Bound. */
  async bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
    pv = await this.bindVolumeToClaim(pv, pvc);
    pv = await this.updateVolumePhase(pv, 'Bound', '');
    pvc = await this.bindClaimToVolume(pvc, pv);
    await this.updateClaimStatus(pvc, 'Bound', pv);
  }

  private async bindVolumeToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<PersistentVolume> {
    const ref = pv.spec?.claimRef;
    let dirty = false;
    const clone: PersistentVolume = { ...pv, metadata: { ...pv.metadata }, spec: { ...pv.spec } };
    if (!ref || ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace || ref.uid !== pvc.metadata?.uid) {
      clone.spec!.claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata?.namespace, name: pvc.metadata?.name, uid: pvc.metadata?.uid, apiVersion: 'v1', resourceVersion: pvc.metadata?.resourceVersion };
      dirty = true;
    }
    // A user's pre-binding (claimRef set by hand) is not the controller's doing.
    if (!isVolumeBoundToClaim(pv, pvc) && pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
      clone.metadata!.annotations = { ...pv.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      dirty = true;
    }
    return dirty ? this.updateVolume(clone) : pv;
  }

  private async bindClaimToVolume(pvc: PersistentVolumeClaim, pv: PersistentVolume): Promise<PersistentVolumeClaim> {
    const annotations = { ...pvc.metadata?.annotations };
    const spec = { ...pvc.spec };
    let dirty = false;
    if (spec.volumeName !== pv.metadata?.name) {
      spec.volumeName = pv.metadata?.name;
      annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      dirty = true;
    }
    if (annotations[ANN_BIND_COMPLETED] === undefined) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    return dirty ? this.updateClaim({ ...pvc, metadata: { ...pvc.metadata, annotations }, spec }) : pvc;
  }

  /** Upstream's unbindVolume: our binding goes entirely; a user's pre-binding keeps the name, loses the uid. */
  async unbindVolume(pv: PersistentVolume): Promise<void> {
    const clone: PersistentVolume = { ...pv, metadata: { ...pv.metadata }, spec: { ...pv.spec } };
    if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      delete clone.spec!.claimRef;
      const annotations = { ...pv.metadata.annotations };
      delete annotations[ANN_BOUND_BY_CONTROLLER];
      clone.metadata!.annotations = annotations;
    } else if (pv.spec?.claimRef) {
      const { uid: _uid, ...ref } = pv.spec.claimRef;
      clone.spec!.claimRef = ref;
    }
    const updated = await this.updateVolume(clone);
    await this.updateVolumePhase(updated, 'Available', '');
  }
}
