// The resources controllers read and write, as client ResourceRefs (one place, so every
// controller asks the shared informer factory for the same informer).
export const podsResource = { group: '', version: 'v1', resource: 'pods', namespaced: true } as const;
export const nodesResource = { group: '', version: 'v1', resource: 'nodes', namespaced: false } as const;
export const servicesResource = { group: '', version: 'v1', resource: 'services', namespaced: true } as const;
export const endpointsResource = { group: '', version: 'v1', resource: 'endpoints', namespaced: true } as const;
export const persistentVolumeClaimsResource = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true } as const;
export const replicationControllersResource = { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true } as const;
export const replicaSetsResource = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true } as const;
export const deploymentsResource = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true } as const;
export const statefulSetsResource = { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true } as const;
export const daemonSetsResource = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true } as const;
export const controllerRevisionsResource = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true } as const;
export const jobsResource = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true } as const;
export const cronJobsResource = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true } as const;
export const endpointSlicesResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true } as const;
export const podDisruptionBudgetsResource = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true } as const;
export const leasesResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true } as const;
