// Names, annotations, reasons and limits of upstream's PV controller
// (pkg/controller/volume/persistentvolume, component-helpers/storage/volume, volume/events).
export { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, NOT_SUPPORTED_PROVISIONER } from '../../scheduler/plugins/volume-binding-match.js';

/** The component its events come from, as upstream's. */
export const pvControllerComponent = 'persistentvolume-controller';
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

/** Upstream's --pvclaimbinder-sync-period: every volume and claim is synced at least this often. */
export const pvClaimBinderSyncPeriodMs = 15_000;
/** Upstream runs one volume worker and one claim worker. */
export const volumeWorkers = 1;
export const claimWorkers = 1;
/** Upstream's --concurrent-... default for the protection controllers (one worker each). */
export const protectionWorkers = 1;

export const events = {
  failedBinding: 'FailedBinding',
  volumeMismatch: 'VolumeMismatch',
  claimLost: 'ClaimLost',
  claimMisbound: 'ClaimMisbound',
  waitForFirstConsumer: 'WaitForFirstConsumer',
  waitForPodScheduled: 'WaitForPodScheduled',
  externalProvisioning: 'ExternalProvisioning',
  provisioningFailed: 'ProvisioningFailed',
  volumeFailedDelete: 'VolumeFailedDelete',
  volumeFailedRecycle: 'VolumeFailedRecycle',
  volumeUnknownReclaimPolicy: 'VolumeUnknownReclaimPolicy',
} as const;
