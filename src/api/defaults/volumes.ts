// Volume source defaults shared by pod volumes and PersistentVolume specs.
import { childObject, isNil, objectItems, setIfNil, setIfZero, type JsonObject } from './fields.js';

/** 0644: the file mode upstream gives projected files unless told otherwise. */
export const DEFAULT_VOLUME_FILE_MODE = 0o644;
/** ServiceAccountTokenProjection.expirationSeconds default: one hour. */
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** SetDefaults_Volume and the defaults of whichever source the volume carries. */
export function setVolumeDefaults(volume: JsonObject): void {
  // A volume naming no source at all is an emptyDir (upstream: all source pointers nil).
  const hasSource = Object.entries(volume).some(([key, value]) => key !== 'name' && !isNil(value));
  if (!hasSource) volume['emptyDir'] = {};

  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = childObject(volume, key);
    if (source) setIfNil(source, 'defaultMode', DEFAULT_VOLUME_FILE_MODE);
  }
  const downwardAPI = childObject(volume, 'downwardAPI');
  if (downwardAPI) setDownwardAPIItemDefaults(downwardAPI);

  const projected = childObject(volume, 'projected');
  for (const projection of objectItems(projected, 'sources')) {
    const projectedDownward = childObject(projection, 'downwardAPI');
    if (projectedDownward) setDownwardAPIItemDefaults(projectedDownward);
    const token = childObject(projection, 'serviceAccountToken');
    if (token) setIfNil(token, 'expirationSeconds', DEFAULT_TOKEN_EXPIRATION_SECONDS);
  }

  const ephemeralClaimSpec = childObject(childObject(volume, 'ephemeral') ?? {}, 'volumeClaimTemplate');
  const claimSpec = ephemeralClaimSpec ? childObject(ephemeralClaimSpec, 'spec') : undefined;
  if (claimSpec) setPersistentVolumeClaimSpecDefaults(claimSpec);

  setPersistentSourceDefaults(volume);
}

function setDownwardAPIItemDefaults(source: JsonObject): void {
  for (const item of objectItems(source, 'items')) {
    const fieldRef = childObject(item, 'fieldRef');
    if (fieldRef) setIfZero(fieldRef, 'apiVersion', 'v1');
  }
}

/**
 * Defaults of the sources that may appear both in a pod volume and in a PersistentVolume
 * spec (the declarative +default markers on the in-tree plugin types).
 */
export function setPersistentSourceDefaults(holder: JsonObject): void {
  const hostPath = childObject(holder, 'hostPath');
  if (hostPath) setIfNil(hostPath, 'type', '');

  const iscsi = childObject(holder, 'iscsi');
  if (iscsi) setIfZero(iscsi, 'iscsiInterface', 'default');

  const rbd = childObject(holder, 'rbd');
  if (rbd) {
    setIfZero(rbd, 'pool', 'rbd');
    setIfZero(rbd, 'user', 'admin');
    setIfZero(rbd, 'keyring', '/etc/ceph/keyring');
  }

  const azureDisk = childObject(holder, 'azureDisk');
  if (azureDisk) {
    setIfNil(azureDisk, 'cachingMode', 'ReadWrite');
    setIfNil(azureDisk, 'kind', 'Shared');
    setIfNil(azureDisk, 'fsType', 'ext4');
    setIfNil(azureDisk, 'readOnly', false);
  }

  const scaleIO = childObject(holder, 'scaleIO');
  if (scaleIO) {
    setIfZero(scaleIO, 'storageMode', 'ThinProvisioned');
    setIfZero(scaleIO, 'fsType', 'xfs');
  }
}

/** SetDefaults_PersistentVolumeClaimSpec. */
export function setPersistentVolumeClaimSpecDefaults(spec: JsonObject): void {
  setIfNil(spec, 'volumeMode', 'Filesystem');
}
