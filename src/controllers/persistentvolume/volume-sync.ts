// Upstream's syncVolume (pv_controller.go): an unclaimed volume is Available; a volume whose
// claim is gone is Released and reclaimed by its policy (Retain keeps it, Delete deletes it
// through the volume plugin — for hostPath only under /tmp, as upstream's hostPath deleter);
// a volume the controller bound to a claim that went elsewhere is unbound.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { ANN_DYNAMICALLY_PROVISIONED, events } from './constants.js';
import type { Binder } from './binder.js';
import { volumeModeMismatch } from './match.js';

export async function syncVolume(binder: Binder, pv: PersistentVolume): Promise<void> {
  const ref = pv.spec?.claimRef;
  if (!ref) {
    await binder.updateVolumePhase(pv, 'Available', '');
    return;
  }
  // Pre-bound by a user to a claim that is not bound yet: the claim's sync does the binding.
  if (!ref.uid) {
    await binder.updateVolumePhase(pv, 'Available', '');
    return;
  }
  const key = `${ref.namespace ?? ''}/${ref.name ?? ''}`;
  let claim: PersistentVolumeClaim | undefined = binder.claim(key);
  // The claim may be newer than our cache (bound by the scheduler, created by a provisioner):
  // ask the API before releasing anything.
  if (!claim && pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') claim = await binder.options.api.getClaim(ref.namespace ?? '', ref.name ?? '');
  // Same name, another claim: the one we were bound to is gone.
  if (claim && claim.metadata?.uid !== ref.uid) claim = undefined;

  if (!claim) {
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = await binder.updateVolumePhase(pv, 'Released', '');
    await reclaimVolume(binder, pv);
    return;
  }
  if (!claim.spec?.volumeName) {
    if (volumeModeMismatch(claim, pv)) {
      binder.event(pv, 'Warning', events.volumeMismatch, `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata?.name}" due to incompatible volumeMode.`);
      binder.event(claim, 'Warning', events.volumeMismatch, `Cannot bind PersistentVolume "${pv.metadata?.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
      return;
    }
    // Half-bound (by us or the scheduler): the claim's sync completes it, soon.
    binder.onClaimNeedsSync(key);
    return;
  }
  if (claim.spec.volumeName === pv.metadata?.name) {
    await binder.updateVolumePhase(pv, 'Bound', '');
    return;
  }
  // The claim went to another volume.
  if (pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = await binder.updateVolumePhase(pv, 'Released', '');
    await reclaimVolume(binder, pv);
    return;
  }
  // Ours: undo it. A user's pre-binding keeps the claim's name and waits for it to come free.
  await binder.unbindVolume(pv);
}

/** Upstream's reclaimVolume. */
async function reclaimVolume(binder: Binder, pv: PersistentVolume): Promise<void> {
  switch (pv.spec?.persistentVolumeReclaimPolicy) {
    case 'Retain':
      return;
    case 'Delete':
      return deleteVolume(binder, pv);
    case 'Recycle':
      // Upstream runs a recycler pod (a deprecated feature); k8ts has no recycler.
      await binder.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', events.volumeFailedRecycle, `No recycler plugin found for the volume!`);
      return;
    default:
      await binder.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', events.volumeUnknownReclaimPolicy, 'Volume has unrecognized PersistentVolumeReclaimPolicy');
  }
}

/** Upstream's deleteVolumeOperation: re-read, check it is still released, delete through the plugin, then the object. */
async function deleteVolume(binder: Binder, cached: PersistentVolume): Promise<void> {
  const pv = await binder.options.api.getVolume(cached.metadata?.name ?? '');
  if (!pv || !isVolumeReleased(binder, pv)) return;
  const provisionedBy = pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
  // An external provisioner deletes its own volumes (and then the object).
  if (provisionedBy && !provisionedBy.startsWith('kubernetes.io/')) return;
  const failure = deleteWithPlugin(binder, pv);
  if (failure) {
    await binder.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', events.volumeFailedDelete, failure);
    return;
  }
  await binder.options.api.deleteVolume(pv);
}

/** The in-tree deleters k8ts has: hostPath's, which removes only paths under /tmp. */
function deleteWithPlugin(binder: Binder, pv: PersistentVolume): string | undefined {
  const hostPath = pv.spec?.hostPath?.path;
  if (hostPath === undefined) return `error getting deleter volume plugin for volume "${pv.metadata?.name}": no deletable volume plugin matched`;
  if (!/\/tmp\/.+/.test(hostPath)) return `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`;
  try {
    binder.options.api.removeHostPath(hostPath);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Upstream's isVolumeReleased: bound to a uid whose claim is gone or bound elsewhere. */
function isVolumeReleased(binder: Binder, pv: PersistentVolume): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref?.uid) return false;
  const claim = binder.claim(`${ref.namespace ?? ''}/${ref.name ?? ''}`);
  if (claim && claim.metadata?.uid === ref.uid) return !!claim.spec?.volumeName && claim.spec.volumeName !== pv.metadata?.name;
  return true;
}
