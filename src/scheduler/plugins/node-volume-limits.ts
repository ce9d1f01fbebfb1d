// Filter (NodeVolumeLimits, upstream's CSILimits): the CSI volumes of the pods on a node plus the
// new pod's may not exceed what each driver can attach there: CSINode
// spec.drivers[].allocatable.count, or the node's `attachable-volumes-csi-<driver>` allocatable.
// A volume shared by several pods counts once. In-tree volume migration is not modelled.
import { createHash, randomBytes } from 'node:crypto';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { CSINode } from 'kubernetes-types/storage/v1.js';
import { claimStorageClass, EMPTY_CLUSTER_OBJECTS, ephemeralClaimOwnershipError, podClaims, type ClusterObjects } from '../framework/cluster-objects.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { Status } from '../framework/status.js';

export const NAME = 'NodeVolumeLimits';
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';

const ATTACHABLE_VOLUMES_PREFIX = 'attachable-volumes-';
const CSI_ATTACH_LIMIT_PREFIX = 'attachable-volumes-csi-';
const RESOURCE_NAME_LENGTH_LIMIT = 63;

/** The resource name a driver's limit goes by; long driver names are shortened with a hash, as upstream. */
export function csiAttachLimitKey(driverName: string): string {
  if (CSI_ATTACH_LIMIT_PREFIX.length + driverName.length < RESOURCE_NAME_LENGTH_LIMIT) return CSI_ATTACH_LIMIT_PREFIX + driverName;
  const hashed = createHash('sha1').update(driverName).digest('hex').slice(0, 16);
  return CSI_ATTACH_LIMIT_PREFIX + driverName.slice(0, 23) + hashed;
}

/** Limit key -> count: the node's attachable-volumes-* allocatable, overridden by CSINode. */
function volumeLimits(nodeInfo: NodeInfo, csiNode: CSINode | undefined): Map<string, number> {
  const limits = new Map<string, number>();
  for (const [name, value] of nodeInfo.allocatable.scalar) if (name.startsWith(ATTACHABLE_VOLUMES_PREFIX)) limits.set(name, value);
  for (const driver of csiNode?.spec?.drivers ?? []) {
    const count = driver.allocatable?.count;
    if (count !== undefined && count !== null) limits.set(csiAttachLimitKey(driver.name), count);
  }
  return limits;
}

export function newNodeVolumeLimits(_args?: unknown, handle?: { clusterObjects: ClusterObjects }): PreFilterPlugin & FilterPlugin {
  const objects = (): ClusterObjects => handle?.clusterObjects ?? EMPTY_CLUSTER_OBJECTS;
  // Claims not yet bound are counted under a made-up handle that cannot collide with a real one.
  const randomVolumeIdPrefix = randomBytes(16).toString('hex');

  function driverInfoFromClass(pvc: PersistentVolumeClaim): { driver: string; handle: string } | undefined {
    const className = claimStorageClass(pvc);
    // Without a class the claim binds immediately, so it is bound before scheduling; not counted.
    if (!className) return undefined;
    const sc = objects().storageClass(className);
    if (!sc) return undefined;
    return { driver: sc.provisioner, handle: `${randomVolumeIdPrefix}-${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}` };
  }

  function driverInfo(pvc: PersistentVolumeClaim): { driver: string; handle: string } | undefined {
    const pvName = pvc.spec?.volumeName;
    if (!pvName) return driverInfoFromClass(pvc);
    const pv = objects().persistentVolume(pvName);
    // Deleted, or pre-bound to a PV not created yet: fall back to the class's driver.
    if (!pv) return driverInfoFromClass(pvc);
    const csi = pv.spec?.csi;
    if (!csi) return undefined;
    return { driver: csi.driver, handle: csi.volumeHandle };
  }

  /**
   * Adds the pod's CSI volumes to `into` (unique name -> limit key). For the new pod a missing
   * claim is an error (it cannot run without it); for pods already on the node it is skipped.
   */
  function attachableVolumes(pod: Pod, isNewPod: boolean, into: Map<string, string>): Status | undefined {
    const ns = pod.metadata?.namespace ?? '';
    for (const ref of podClaims(pod)) {
      if (!ref.claimName) return Status.error('PersistentVolumeClaim had no name');
      const pvc = objects().persistentVolumeClaim(ns, ref.claimName);
      if (!pvc) {
        // The pod can never fit until its claim exists: no use retrying on another node.
        if (isNewPod) return Status.unresolvable(`looking up PVC ${ns}/${ref.claimName}: persistentvolumeclaim "${ref.claimName}" not found`);
        continue;
      }
      if (ref.ephemeral) {
        const err = ephemeralClaimOwnershipError(pod, pvc);
        if (err) return Status.error(err);
      }
      const info = driverInfo(pvc);
      if (!info?.driver || !info.handle) continue;
      into.set(`${info.driver}/${info.handle}`, csiAttachLimitKey(info.driver));
    }
    return undefined;
  }

  return {
    name: NAME,
    preFilter(_state, pod): Status {
      return podClaims(pod).length > 0 ? Status.success() : Status.skip();
    },
    filter(_state, pod, nodeInfo): Status {
      if ((pod.spec?.volumes ?? []).length === 0) return Status.success();
      const csiNode = objects().csiNode(nodeInfo.name);
      const newVolumes = new Map<string, string>();
      const failed = attachableVolumes(pod, true, newVolumes);
      if (failed) return failed;
      if (newVolumes.size === 0) return Status.success();
      const limits = volumeLimits(nodeInfo, csiNode);
      if (limits.size === 0) return Status.success();

      const attached = new Map<string, string>();
      for (const existing of nodeInfo.pods) {
        const s = attachableVolumes(existing.pod, false, attached);
        if (s) return s.isRejected() ? Status.error(s.message()) : s;
      }
      const attachedCount = new Map<string, number>();
      for (const [uniqueName, key] of attached) {
        // A volume already attached for another pod costs nothing more.
        newVolumes.delete(uniqueName);
        attachedCount.set(key, (attachedCount.get(key) ?? 0) + 1);
      }
      const newCount = new Map<string, number>();
      for (const key of newVolumes.values()) newCount.set(key, (newCount.get(key) ?? 0) + 1);
      for (const [key, count] of newCount) {
        const max = limits.get(key);
        if (max !== undefined && (attachedCount.get(key) ?? 0) + count > max) return Status.unschedulable(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED);
      }
      return Status.success();
    },
  };
}
