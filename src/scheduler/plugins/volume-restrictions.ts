// Filter (NoDiskConflict): a node cannot mount the same GCE PD, AWS EBS, RBD image or iSCSI
// target for two pods unless every mount is read-only (EBS: never twice).
// Not covered yet: ReadWriteOncePod PVC conflicts, which need PVC objects in the snapshot.
import type { Volume } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';

export const NAME = 'VolumeRestrictions';
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';

const hasRestrictedSource = (v: Volume): boolean => !!(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi);

export function volumesConflict(a: Volume, b: Volume): boolean {
  if (a.gcePersistentDisk && b.gcePersistentDisk) {
    return a.gcePersistentDisk.pdName === b.gcePersistentDisk.pdName && !(a.gcePersistentDisk.readOnly && b.gcePersistentDisk.readOnly);
  }
  if (a.awsElasticBlockStore && b.awsElasticBlockStore) return a.awsElasticBlockStore.volumeID === b.awsElasticBlockStore.volumeID;
  if (a.iscsi && b.iscsi) return a.iscsi.iqn === b.iscsi.iqn && !(a.iscsi.readOnly && b.iscsi.readOnly);
  if (a.rbd && b.rbd) {
    const sharesMonitor = a.rbd.monitors.some((m) => b.rbd!.monitors.includes(m));
    const samePool = (a.rbd.pool ?? 'rbd') === (b.rbd.pool ?? 'rbd');
    return sharesMonitor && samePool && a.rbd.image === b.rbd.image && !(a.rbd.readOnly && b.rbd.readOnly);
  }
  return false;
}

export function newVolumeRestrictions(): PreFilterPlugin & FilterPlugin {
  return {
    name: NAME,
    preFilter(_state, pod): Status {
      return (pod.spec?.volumes ?? []).some(hasRestrictedSource) ? Status.success() : Status.skip();
    },
    filter(_state, pod, nodeInfo): Status {
      for (const v of (pod.spec?.volumes ?? []).filter(hasRestrictedSource)) {
        for (const existing of nodeInfo.pods) {
          if ((existing.pod.spec?.volumes ?? []).some((other) => volumesConflict(v, other))) return Status.unschedulable(ERR_REASON_DISK_CONFLICT);
        }
      }
      return Status.success();
    },
  };
}
