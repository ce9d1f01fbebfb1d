// Workload groups: apps, batch, autoscaling and policy. The kinds here plus pods, services and
// replicationcontrollers make up the "all" category that `kubectl get all` expands.
import type { ResourceInfo } from '../types.js';
import { defineGroupVersion, scaleSubresource, statusSubresource, type ResourceSpec } from './define.js';

export const appsV1Resources: readonly ResourceInfo[] = defineGroupVersion('apps', 'v1', { preferred: true }, [
  { resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
  {
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [statusSubresource()],
  },
  {
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scaleSubresource(), statusSubresource()],
  },
  {
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scaleSubresource(), statusSubresource()],
  },
  {
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [scaleSubresource(), statusSubresource()],
  },
]);

export const batchV1Resources: readonly ResourceInfo[] = defineGroupVersion('batch', 'v1', { preferred: true }, [
  {
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: [statusSubresource()],
  },
  { resource: 'jobs', kind: 'Job', namespaced: true, categories: ['all'], subresources: [statusSubresource()] },
]);

function horizontalPodAutoscalerSpec(storage?: ResourceInfo['storage']): ResourceSpec {
  const spec: ResourceSpec = {
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: [statusSubresource()],
  };
  if (storage) spec.storage = storage;
  return spec;
}

/** v2 is preferred; it is also the storage version, so both versions share one store. */
export const autoscalingV2Resources: readonly ResourceInfo[] = defineGroupVersion(
  'autoscaling',
  'v2',
  { preferred: true },
  [horizontalPodAutoscalerSpec()],
);

export const autoscalingV1Resources: readonly ResourceInfo[] = defineGroupVersion(
  'autoscaling',
  'v1',
  { preferred: false },
  [horizontalPodAutoscalerSpec({ group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' })],
);

export const policyV1Resources: readonly ResourceInfo[] = defineGroupVersion('policy', 'v1', { preferred: true }, [
  {
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: [statusSubresource()],
  },
]);
