// Upstream's syncClaim (pv_controller.go): an unbound claim gets the best Available volume (or
// the one it names, or the one pre-bound to it), waits for its first consumer under
// WaitForFirstConsumer, or waits for a provisioner; a bound claim is kept consistent with its
// volume and marked Lost when the volume is gone or taken by another claim.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, events } from './constants.js';
import type { Binder } from './binder.js';
import { checkVolumeSatisfyClaim, claimStorageClass, findBestMatchForClaim, isDelayBindingMode, isVolumeBoundToClaim } from './match.js';

export async function syncClaim(binder: Binder, pvc: PersistentVolumeClaim): Promise<void> {
  if (pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] === undefined) await syncUnboundClaim(binder, pvc);
  else await syncBoundClaim(binder, pvc);
}

async function syncUnboundClaim(binder: Binder, pvc: PersistentVolumeClaim): Promise<void> {
  const volumeName = pvc.spec?.volumeName;
  if (!volumeName) {
    const delayBinding = isDelayBindingMode(pvc, (name) => binder.storageClass(name));
    const pv = findBestMatchForClaim(pvc, binder.volumesList(), delayBinding);
    if (pv) return binder.bind(pv, pvc);
    if (delayBinding && pvc.metadata?.annotations?.[ANN_SELECTED_NODE] === undefined) {
      emitEventForUnboundDelayBindingClaim(binder, pvc);
    } else if (claimStorageClass(pvc) !== '') {
      // A provisioner (or an administrator) creates the volume; the next sync binds it.
      await provisionClaim(binder, pvc);
      return;
    } else {
      binder.event(pvc, 'Normal', events.failedBinding, 'no persistent volumes available for this claim and no storage class is set');
    }
    await binder.updateClaimStatus(pvc, 'Pending', undefined);
    return;
  }
  // The user asked for a particular volume.
  const pv = binder.volume(volumeName);
  if (!pv) {
    await binder.updateClaimStatus(pvc, 'Pending', undefined);
    return;
  }
  if (!pv.spec?.claimRef) {
    const mismatch = checkVolumeSatisfyClaim(pv, pvc);
    if (mismatch) {
      binder.event(pvc, 'Warning', events.volumeMismatch, `Cannot bind to requested volume "${volumeName}": ${mismatch}`);
      await binder.updateClaimStatus(pvc, 'Pending', undefined);
      return;
    }
    return binder.bind(pv, pvc);
  }
  if (isVolumeBoundToClaim(pv, pvc)) return binder.bind(pv, pvc);
  if (pvc.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    // The volume the user asked for belongs to someone else: wait for it.
    await binder.updateClaimStatus(pvc, 'Pending', undefined);
    return;
  }
  // Someone removed our bind-completed annotation.
  const ref = pv.spec.claimRef;
  throw new Error(`invalid binding of claim "${pvc.metadata?.namespace}/${pvc.metadata?.name}" to volume "${volumeName}": volume already claimed by "${ref.namespace}/${ref.name}"`);
}

async function syncBoundClaim(binder: Binder, pvc: PersistentVolumeClaim): Promise<void> {
  const volumeName = pvc.spec?.volumeName;
  if (!volumeName) {
    await binder.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', events.claimLost, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return;
  }
  const pv: PersistentVolume | undefined = binder.volume(volumeName);
  if (!pv) {
    await binder.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', events.claimLost, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    return;
  }
  // Unbound volume (a user or a restore cleared it), or ours: (re)establish and refresh the status.
  if (!pv.spec?.claimRef || pv.spec.claimRef.uid === pvc.metadata?.uid) return binder.bind(pv, pvc);
  await binder.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', events.claimMisbound, 'Two claims are bound to the same volume, this one is bound incorrectly');
}

/** Upstream's emitEventForUnboundDelayBindingClaim. */
function emitEventForUnboundDelayBindingClaim(binder: Binder, pvc: PersistentVolumeClaim): void {
  const waiting = nonScheduledPodsUsing(binder.pods(), pvc);
  if (waiting.length === 0) {
    binder.event(pvc, 'Normal', events.waitForFirstConsumer, 'waiting for first consumer to be created before binding');
    return;
  }
  const message = waiting.length > 1 ? `waiting for pods ${waiting.join(',')} to be scheduled` : `waiting for pod ${waiting[0]} to be scheduled`;
  binder.event(pvc, 'Normal', events.waitForPodScheduled, message);
}

function nonScheduledPodsUsing(pods: Pod[], pvc: PersistentVolumeClaim): string[] {
  return pods
    .filter((pod) => pod.metadata?.namespace === pvc.metadata?.namespace && !pod.spec?.nodeName)
    .filter((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')
    .filter((pod) =>
      (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name || (v.ephemeral && `${pod.metadata?.name}-${v.name}` === pvc.metadata?.name)),
    )
    .map((pod) => pod.metadata?.name ?? '');
}

/**
 * Upstream's provisionClaimOperation without in-tree provisioners (k8ts has none): an unknown
 * class or a kubernetes.io/ provisioner fails; any other provisioner is external, so the claim
 * is annotated for it and waits.
 */
async function provisionClaim(binder: Binder, pvc: PersistentVolumeClaim): Promise<void> {
  const className = claimStorageClass(pvc);
  const sc = binder.storageClass(className);
  if (!sc) {
    binder.event(pvc, 'Warning', events.provisioningFailed, `storageclass.storage.k8s.io "${className}" not found`);
    return;
  }
  const provisioner = sc.provisioner;
  if (provisioner.startsWith('kubernetes.io/')) {
    binder.event(pvc, 'Warning', events.provisioningFailed, `no volume plugin matched name: ${provisioner}`);
    return;
  }
  const annotations = pvc.metadata?.annotations ?? {};
  let claim = pvc;
  if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
    claim = await binder.updateClaim({
      ...pvc,
      metadata: { ...pvc.metadata, annotations: { ...annotations, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner } },
    });
  }
  binder.event(
    claim,
    'Normal',
    events.externalProvisioning,
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
  );
}
