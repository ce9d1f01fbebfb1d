// The volume plugins' ClusterObjects, answered from the scheduler's informer caches; the two
// writes VolumeBinding makes in PreBind go through the API.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, CSINode, CSIStorageCapacity, StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { RestClient } from '../../client/index.js';
import type { ClusterObjects } from '../framework/cluster-objects.js';
import { cachedList, schedulerResources, type SchedulerInformers } from './informers.js';

export function informerClusterObjects(client: RestClient, informers: SchedulerInformers): ClusterObjects {
  const claims = client.resource<PersistentVolumeClaim & KubeObject>(schedulerResources.persistentVolumeClaims);
  const volumes = client.resource<PersistentVolume & KubeObject>(schedulerResources.persistentVolumes);
  const allVolumes = cachedList<PersistentVolume>(informers.persistentVolumes);
  const capacities = cachedList<CSIStorageCapacity>(informers.csiStorageCapacities);
  return {
    persistentVolumeClaim: (namespace, name) => informers.persistentVolumeClaims.cache.get(`${namespace}/${name}`) as PersistentVolumeClaim | undefined,
    persistentVolume: (name) => informers.persistentVolumes.cache.get(name) as PersistentVolume | undefined,
    persistentVolumes: allVolumes,
    storageClass: (name) => informers.storageClasses.cache.get(name) as StorageClass | undefined,
    csiNode: (nodeName) => informers.csiNodes.cache.get(nodeName) as CSINode | undefined,
    csiDriver: (name) => informers.csiDrivers.cache.get(name) as CSIDriver | undefined,
    csiStorageCapacities: capacities,
    // Cached objects are frozen; the plugins hand over copies they changed, which we send as is.
    updatePersistentVolume: (pv) => volumes.update(undefined, pv as PersistentVolume & KubeObject),
    updatePersistentVolumeClaim: (pvc) => claims.update(pvc.metadata?.namespace ?? 'default', pvc as PersistentVolumeClaim & KubeObject),
  };
}
