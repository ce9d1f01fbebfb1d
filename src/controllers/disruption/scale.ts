// Finds the scale of a pod's controller (upstream's finders in disruption.go): a ReplicaSet
// controlled by a Deployment counts as the Deployment; ReplicaSets, StatefulSets and
// ReplicationControllers count their own spec.replicas. Lookups go to the informer caches and
// must match the controller reference's uid.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ReadonlyStore } from '../../client/index.js';
import { controllerOf, type OwnerReference } from '../common/controller-ref.js';
import type { ScaleFinder } from './budget.js';

export interface ScaleCaches {
  replicaSets: ReadonlyStore<KubeObject>;
  deployments: ReadonlyStore<KubeObject>;
  statefulSets: ReadonlyStore<KubeObject>;
  replicationControllers: ReadonlyStore<KubeObject>;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function matches(ref: OwnerReference, kind: string, groups: readonly string[]): boolean {
  return ref.kind === kind && groups.includes(groupOf(ref.apiVersion));
}

function replicasOf(object: KubeObject): number {
  // Defaulted to 1 by the API server; a missing value means the default.
  return (object.spec as { replicas?: number } | undefined)?.replicas ?? 1;
}

function lookup(cache: ReadonlyStore<KubeObject>, namespace: string, ref: OwnerReference): KubeObject | undefined {
  const object = cache.get(`${namespace}/${ref.name}`);
  return object?.metadata?.uid === ref.uid ? object : undefined;
}

export function cacheScaleFinder(caches: ScaleCaches): ScaleFinder {
  return async (pod: Pod) => {
    const ref = controllerOf(pod as KubeObject);
    const namespace = pod.metadata?.namespace ?? '';
    if (!ref) return undefined;
    const apps = ['apps', 'extensions'];
    if (matches(ref, 'ReplicaSet', apps)) {
      const replicaSet = lookup(caches.replicaSets, namespace, ref);
      if (!replicaSet) return undefined;
      const owner = controllerOf(replicaSet);
      if (owner && matches(owner, 'Deployment', apps)) {
        const deployment = lookup(caches.deployments, namespace, owner);
        return deployment ? { uid: owner.uid, scale: replicasOf(deployment) } : undefined;
      }
      return { uid: ref.uid, scale: replicasOf(replicaSet) };
    }
    if (matches(ref, 'StatefulSet', ['apps'])) {
      const statefulSet = lookup(caches.statefulSets, namespace, ref);
      return statefulSet ? { uid: ref.uid, scale: replicasOf(statefulSet) } : undefined;
    }
    if (matches(ref, 'ReplicationController', [''])) {
      const controller = lookup(caches.replicationControllers, namespace, ref);
      return controller ? { uid: ref.uid, scale: replicasOf(controller) } : undefined;
    }
    return undefined;
  };
}
