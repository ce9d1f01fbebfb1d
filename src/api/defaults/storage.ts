// storage.k8s.io/v1 defaults.
import type { KubeObject } from '../object.js';
import { asJson, ensureObject, listSize, setIfNil } from './fields.js';

function setStorageClassDefaults(obj: KubeObject): void {
  const json = asJson(obj);
  setIfNil(json, 'reclaimPolicy', 'Delete');
  setIfNil(json, 'volumeBindingMode', 'Immediate');
}

function setCSIDriverDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'attachRequired', true);
  setIfNil(spec, 'podInfoOnMount', false);
  setIfNil(spec, 'storageCapacity', false);
  setIfNil(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  if (listSize(spec['volumeLifecycleModes']) === 0) spec['volumeLifecycleModes'] = ['Persistent'];
  setIfNil(spec, 'requiresRepublish', false);
  // SELinuxMountReadWriteOncePod is beta and on in 1.32.
  setIfNil(spec, 'seLinuxMount', false);
}

export const storageDefaulters: Record<string, (obj: KubeObject) => void> = {
  'StorageClass.storage.k8s.io': setStorageClassDefaults,
  'CSIDriver.storage.k8s.io': setCSIDriverDefaults,
};
