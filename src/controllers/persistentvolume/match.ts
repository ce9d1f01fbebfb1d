// Which PV an unbound claim gets, as upstream's PV controller decides without a node
// (persistentvolume/index.go findBestMatchForClaim + component-helpers FindMatchingVolume):
// volumes are grouped by their access modes, the groups with the fewest modes that still cover
// the claim's are tried first, and within a group a volume pre-bound to the claim wins, else
// the smallest Available one that is big enough, of the claim's class, volume mode and selector.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { tryParseQuantity } from '../../api/units/quantity.js';
import { claimStorageClass, volumeStorageClass } from '../../scheduler/framework/cluster-objects.js';
import { checkAccessModes, isVolumeBoundToClaim } from '../../scheduler/plugins/volume-binding-match.js';

export { claimStorageClass, volumeStorageClass, isVolumeBoundToClaim };

const storageBytes = (value: string | undefined): bigint => tryParseQuantity(value)?.value() ?? 0n;
export const claimRequestBytes = (pvc: PersistentVolumeClaim): bigint => storageBytes(pvc.spec?.resources?.requests?.storage);
export const volumeCapacityBytes = (pv: PersistentVolume): bigint => storageBytes(pv.spec?.capacity?.storage);

export const volumeModeMismatch = (pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean =>
  (pvc.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');

/** Upstream's IsDelayBindingMode: a missing class is not delayed; a class without a mode is an error. */
export function isDelayBindingMode(pvc: PersistentVolumeClaim, storageClass: (name: string) => StorageClass | undefined): boolean {
  const className = claimStorageClass(pvc);
  if (!className) return false;
  const sc = storageClass(className);
  if (!sc) return false;
  if (!sc.volumeBindingMode) throw new Error(`VolumeBindingMode not set for StorageClass "${className}"`);
  return sc.volumeBindingMode === 'WaitForFirstConsumer';
}

/** Upstream's checkVolumeSatisfyClaim, for a claim that names its volume; the error is the event's message. */
export function checkVolumeSatisfyClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): string | undefined {
  if (pv.metadata?.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (volumeCapacityBytes(pv) < claimRequestBytes(pvc)) return 'requested PV is too small';
  if (volumeStorageClass(pv) !== claimStorageClass(pvc)) return 'storageClassName does not match';
  if (volumeModeMismatch(pvc, pv)) return 'incompatible volumeMode';
  if (!checkAccessModes(pvc, pv)) return 'incompatible accessMode';
  return undefined;
}

function selectorMatches(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  if (!pvc.spec?.selector) return true;
  try {
    return labelSelectorFromObject(pvc.spec.selector).matches(pv.metadata?.labels ?? {});
  } catch {
    return false;
  }
}

/** FindMatchingVolume with no node: the PV controller's path. */
function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  // Volume attributes classes are beta and off by default in v1.32: such claims never match.
  if (pvc.spec?.volumeAttributesClassName) return undefined;
  const requested = claimRequestBytes(pvc);
  const requestedClass = claimStorageClass(pvc);
  let smallest: PersistentVolume | undefined;
  for (const pv of volumes) {
    if (volumeCapacityBytes(pv) < requested) continue;
    if (volumeModeMismatch(pvc, pv)) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, pvc)) return pv;
    // With WaitForFirstConsumer the scheduler picks the volume, knowing the node.
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if (!selectorMatches(pvc, pv)) continue;
    if (volumeStorageClass(pv) !== requestedClass) continue;
    if (pv.spec?.volumeAttributesClassName) continue;
    if (!smallest || volumeCapacityBytes(smallest) > volumeCapacityBytes(pv)) smallest = pv;
  }
  return smallest;
}

/** Upstream's findBestMatchForClaim over the volume index grouped by access modes. */
export function findBestMatchForClaim(pvc: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, { modes: Set<string>; volumes: PersistentVolume[] }>();
  for (const pv of volumes) {
    const modes = [...new Set(pv.spec?.accessModes ?? [])].sort();
    const key = modes.join(',');
    if (!groups.has(key)) groups.set(key, { modes: new Set(modes), volumes: [] });
    groups.get(key)!.volumes.push(pv);
  }
  const wanted = pvc.spec?.accessModes ?? [];
  const candidates = [...groups.values()].filter((g) => wanted.every((m) => g.modes.has(m))).sort((a, b) => a.modes.size - b.modes.size);
  for (const group of candidates) {
    const pv = findMatchingVolume(pvc, group.volumes, delayBinding);
    if (pv) return pv;
  }
  return undefined;
}
