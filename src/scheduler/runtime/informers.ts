// The informers kube-scheduler watches, and how their events reach the Scheduler: pods and
// nodes feed the cache and the queue; namespaces, Services, workloads and PDBs become the
// snapshot's lookups; storage objects are kept for the volume plugins and move parked pods.
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { DeletedFinalStateUnknown, type ResourceRef, type SharedInformer, type SharedInformerFactory } from '../../client/index.js';
import type { ClusterObjects } from '../framework/snapshot.js';
import type { EventResource } from '../queue/events.js';
import type { Scheduler } from './scheduler.js';

const core = (resource: string, namespaced = true): ResourceRef => ({ group: '', version: 'v1', resource, namespaced });

export const schedulerResources = {
  pods: core('pods'),
  nodes: core('nodes', false),
  namespaces: core('namespaces', false),
  services: core('services'),
  replicationControllers: core('replicationcontrollers'),
  persistentVolumeClaims: core('persistentvolumeclaims'),
  persistentVolumes: core('persistentvolumes', false),
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  statefulSets: { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  podDisruptionBudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true },
  priorityClasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false },
  storageClasses: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false },
  csiNodes: { group: 'storage.k8s.io', version: 'v1', resource: 'csinodes', namespaced: false },
  csiDrivers: { group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', namespaced: false },
  csiStorageCapacities: { group: 'storage.k8s.io', version: 'v1', resource: 'csistoragecapacities', namespaced: true },
} as const satisfies Record<string, ResourceRef>;

export type SchedulerResource = keyof typeof schedulerResources;

export type SchedulerInformers = { [K in SchedulerResource]: SharedInformer<KubeObject> };

export function createSchedulerInformers(factory: SharedInformerFactory): SchedulerInformers {
  const informers = {} as SchedulerInformers;
  // Pods are cached without managedFields, as upstream's scheduler does: it never reads them,
  // and at 5,000 nodes they were most of what the scheduler's thread parsed, froze and collected.
  for (const [name, ref] of Object.entries(schedulerResources)) informers[name as SchedulerResource] = factory.forResource(ref, name === 'pods' ? { dropManagedFields: true } : {});
  return informers;
}

const unwrap = <T extends KubeObject>(object: T | DeletedFinalStateUnknown<T>): T => (object instanceof DeletedFinalStateUnknown ? object.obj : object);

/**
 * A list over an informer's cache, rebuilt only after the informer changed: plugins read these
 * for every pod, and rebuilding them per pod would cost O(objects) each time.
 */
export function cachedList<T>(informer: SharedInformer<KubeObject>): () => readonly T[] {
  let list: T[] | undefined;
  const invalidate = (): void => {
    list = undefined;
  };
  informer.addEventHandler({ onAdd: invalidate, onUpdate: invalidate, onDelete: invalidate });
  return () => (list ??= informer.cache.list() as unknown as T[]);
}

/** The snapshot's object lookups (Services, workloads, PDBs), as getters over the informers. */
export function snapshotObjects(informers: SchedulerInformers): Omit<ClusterObjects, 'nodes' | 'pods' | 'namespaces'> {
  const services = cachedList<Service>(informers.services);
  const replicationControllers = cachedList<ReplicationController>(informers.replicationControllers);
  const replicaSets = cachedList<ReplicaSet>(informers.replicaSets);
  const statefulSets = cachedList<StatefulSet>(informers.statefulSets);
  const podDisruptionBudgets = cachedList<PodDisruptionBudget>(informers.podDisruptionBudgets);
  return {
    get services() {
      return services();
    },
    get replicationControllers() {
      return replicationControllers();
    },
    get replicaSets() {
      return replicaSets();
    },
    get statefulSets() {
      return statefulSets();
    },
    get podDisruptionBudgets() {
      return podDisruptionBudgets();
    },
  };
}

/** Namespace name -> labels, kept current for affinity namespaceSelectors. */
export function namespaceLabelsMap(informers: SchedulerInformers): Map<string, Readonly<Record<string, string>>> {
  const labels = new Map<string, Readonly<Record<string, string>>>();
  const set = (ns: KubeObject): void => void labels.set(ns.metadata?.name ?? '', (ns as Namespace).metadata?.labels ?? {});
  informers.namespaces.addEventHandler({
    onAdd: set,
    onUpdate: (_old, ns) => set(ns),
    onDelete: (ns) => void labels.delete(unwrap(ns).metadata?.name ?? ''),
  });
  return labels;
}

/** Storage and CSI changes that may let a pod parked by a volume plugin fit now. */
const storageEvents: readonly [SchedulerResource, EventResource][] = [
  ['persistentVolumeClaims', 'PersistentVolumeClaim'],
  ['persistentVolumes', 'PersistentVolume'],
  ['storageClasses', 'StorageClass'],
  ['csiNodes', 'CSINode'],
  ['csiDrivers', 'CSIDriver'],
];

/**
 * Pods as the scheduler should see them: with spec.priority filled from their PriorityClass
 * when the API server's Priority admission left it unset (it knows only the built-in classes),
 * so PrioritySort and preemption order pods as upstream's would.
 */
export function podPriorityResolver(informers: SchedulerInformers): (pod: Pod) => Pod {
  return (pod) => {
    const className = pod.spec?.priorityClassName;
    if (pod.spec?.priority !== undefined || !className) return pod;
    const priorityClass = informers.priorityClasses.cache.get(className) as (KubeObject & { value?: number; preemptionPolicy?: string }) | undefined;
    if (priorityClass?.value === undefined) return pod;
    return {
      ...pod,
      spec: { ...pod.spec!, priority: priorityClass.value, preemptionPolicy: pod.spec?.preemptionPolicy ?? priorityClass.preemptionPolicy ?? 'PreemptLowerPriority' },
    };
  };
}

/** Registers the Scheduler's handlers on the informers (handlers only touch memory). */
export function connectInformers(scheduler: Scheduler, informers: SchedulerInformers, normalize: (pod: Pod) => Pod = (pod) => pod): void {
  informers.pods.addEventHandler({
    onAdd: (pod) => scheduler.onPodAdd(normalize(pod as Pod)),
    onUpdate: (oldPod, newPod) => scheduler.onPodUpdate(normalize(oldPod as Pod), normalize(newPod as Pod)),
    onDelete: (pod) => scheduler.onPodDelete(normalize(unwrap(pod) as Pod)),
  });
  informers.nodes.addEventHandler({
    onAdd: (node) => scheduler.onNodeAdd(node as Node),
    onUpdate: (oldNode, newNode) => scheduler.onNodeUpdate(oldNode as Node, newNode as Node),
    onDelete: (node) => scheduler.onNodeDelete(unwrap(node) as Node),
  });
  for (const [name, resource] of storageEvents) {
    informers[name].addEventHandler({
      onAdd: (_o, isInInitialList) => {
        if (!isInInitialList) scheduler.move({ resource, action: 'Add', label: `${resource}Add` });
      },
      onUpdate: (oldObject, newObject) => {
        if (oldObject.metadata?.resourceVersion !== newObject.metadata?.resourceVersion) scheduler.move({ resource, action: 'Update', label: `${resource}Update` });
      },
      onDelete: () => scheduler.move({ resource, action: 'Delete', label: `${resource}Delete` }),
    });
  }
}
