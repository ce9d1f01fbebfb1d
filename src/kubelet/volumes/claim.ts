// persistentVolumeClaim volumes, as upstream's desired-state populator resolves them
// (getPVCExtractPV) and its hostPath and local plugins mount them: the claim must exist, not be
// terminating, and be Bound to a PV whose claimRef points back at it. A hostPath PV is used in
// place (type-checked like a hostPath volume); a local PV's path is bind-mounted at
// pods/<uid>/volumes/kubernetes.io~local-volume/<pv-name>, so the pod's tear-down unmounts it.
import { existsSync } from 'node:fs';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { isNotFound, type RestClient } from '../../client/index.js';
import { VolumeSetUpError } from './payload.js';

const claimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true };
const volumesResource = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false };

/** A claim the kubelet cannot use yet; the message is upstream's "error processing PVC …". */
export class ClaimProcessingError extends VolumeSetUpError {}

/** A PV's path could not be prepared; reported as upstream's MountVolume.NewMounter failure. */
export class NewMounterError extends VolumeSetUpError {}

export interface ResolvedClaim {
  pvc: PersistentVolumeClaim;
  pv: PersistentVolume;
}

export type ClaimVolumeKind = 'hostPath' | 'local';

export async function resolveClaim(client: RestClient, namespace: string, claimName: string): Promise<ResolvedClaim> {
  const fail = (message: string): never => {
    throw new ClaimProcessingError(`error processing PVC ${namespace}/${claimName}: ${message}`);
  };
  let pvc: PersistentVolumeClaim | undefined;
  try {
    pvc = (await client.resource(claimsResource).get(namespace, claimName)) as PersistentVolumeClaim;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    fail(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  }
  if (pvc!.metadata?.deletionTimestamp) fail(`can't start pod because PVC is being deleted`);
  if (pvc!.status?.phase !== 'Bound') fail('PVC is not bound');
  const pvName = pvc!.spec?.volumeName;
  if (!pvName) fail('PVC has empty pvc.Spec.VolumeName');
  let pv: PersistentVolume | undefined;
  try {
    pv = (await client.resource(volumesResource).get(undefined, pvName!)) as PersistentVolume;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    fail(`failed to fetch PV "${pvName}" from API server: persistentvolumes "${pvName}" not found`);
  }
  const ref = pv!.spec?.claimRef;
  if (!ref) fail(`failed to fetch PV "${pvName}" from API server: found PV object "${pvName}" but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim`);
  if (ref!.uid !== pvc!.metadata?.uid) {
    fail(`failed to fetch PV "${pvName}" from API server: found PV object "${pvName}" but its pv.Spec.ClaimRef.UID (${JSON.stringify(ref!.uid ?? '')}) does not point to claim.UID (${JSON.stringify(pvc!.metadata?.uid ?? '')})`);
  }
  return { pvc: pvc!, pv: pv! };
}

/** Which of k8ts's plugins mounts the PV; others fail as a missing plugin does upstream. */
export function claimVolumeKind(pv: PersistentVolume): ClaimVolumeKind {
  if (pv.spec?.hostPath) return 'hostPath';
  if (pv.spec?.local) return 'local';
  throw new VolumeSetUpError(`no volume plugin matched for PersistentVolume "${pv.metadata?.name}"`);
}

/** The local plugin's check before mounting. */
export function checkLocalPath(pv: PersistentVolume): string {
  const path = pv.spec?.local?.path ?? '';
  if (!existsSync(path)) throw new NewMounterError(`MountVolume.NewMounter initialization failed for volume "${pv.metadata?.name}" : path "${path}" does not exist`);
  return path;
}
