import { rmSync } from 'node:fs';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, type ResourceClient } from '../../client/index.js';
import type { ControllerDescriptor } from '../context.js';
import { persistentVolumeClaimsResource, podsResource } from '../common/resources.js';
import type { PvApi } from './binder.js';
import { claimWorkers, protectionWorkers, pvControllerComponent } from './constants.js';
import { PersistentVolumeController } from './controller.js';
import { PvProtectionController } from './pv-protection.js';
import { PvcProtectionController } from './pvc-protection.js';

export const persistentVolumesResource = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false } as const;
export const storageClassesResource = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false } as const;

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

type Pv = PersistentVolume & KubeObject;
type Pvc = PersistentVolumeClaim & KubeObject;

export function restPvApi(volumes: ResourceClient<Pv>, claims: ResourceClient<Pvc>): PvApi {
  return {
    updateVolume: (pv) => volumes.update(undefined, pv as Pv),
    updateVolumeStatus: (pv) => volumes.updateStatus(undefined, pv as Pv),
    async deleteVolume(pv) {
      await orUndefined(volumes.delete(undefined, pv.metadata?.name ?? '', { preconditions: { uid: pv.metadata?.uid } }));
    },
    getVolume: (name) => orUndefined(volumes.get(undefined, name)),
    getClaim: (namespace, name) => orUndefined(claims.get(namespace, name)),
    updateClaim: (pvc) => claims.update(pvc.metadata?.namespace, pvc as Pvc),
    updateClaimStatus: (pvc) => claims.updateStatus(pvc.metadata?.namespace, pvc as Pvc),
    removeHostPath: (path) => rmSync(path, { recursive: true, force: true }),
  };
}

export const persistentVolumeBinderDescriptor: ControllerDescriptor = {
  name: 'persistentvolume-binder',
  workers: claimWorkers,
  create: ({ client, informers, clock, recorder }) =>
    new PersistentVolumeController({
      volumes: informers.forResource(persistentVolumesResource),
      claims: informers.forResource(persistentVolumeClaimsResource),
      classes: informers.forResource(storageClassesResource),
      pods: informers.forResource(podsResource),
      api: restPvApi(client.resource<Pv>(persistentVolumesResource), client.resource<Pvc>(persistentVolumeClaimsResource)),
      recorder: recorder(pvControllerComponent),
      clock,
    }),
};

/** The finalizer list replaced, guarded by the resourceVersion we decided on. */
function finalizersPatch(object: { metadata?: { resourceVersion?: string } }, finalizers: string[]): object {
  return { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } };
}

export const pvcProtectionDescriptor: ControllerDescriptor = {
  name: 'pvc-protection',
  workers: protectionWorkers,
  create: ({ client, informers }) => {
    const claims = client.resource(persistentVolumeClaimsResource);
    const pods = client.resource(podsResource);
    return new PvcProtectionController({
      claims: informers.forResource(persistentVolumeClaimsResource),
      pods: informers.forResource(podsResource),
      api: {
        async setFinalizers(pvc, finalizers) {
          await orUndefined(claims.patch(pvc.metadata?.namespace, pvc.metadata?.name ?? '', finalizersPatch(pvc, finalizers), 'merge'));
        },
        listPods: async (namespace) => (await pods.list(namespace)).items as unknown as Pod[],
      },
    });
  },
};

export const pvProtectionDescriptor: ControllerDescriptor = {
  name: 'pv-protection',
  workers: protectionWorkers,
  create: ({ client, informers }) => {
    const volumes = client.resource(persistentVolumesResource);
    return new PvProtectionController({
      volumes: informers.forResource(persistentVolumesResource),
      api: {
        async setFinalizers(pv, finalizers) {
          await orUndefined(volumes.patch(undefined, pv.metadata?.name ?? '', finalizersPatch(pv, finalizers), 'merge'));
        },
      },
    });
  },
};
