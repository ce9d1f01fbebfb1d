// Cluster events that may make an unschedulable pod schedulable, and which plugins' rejections
// each can resolve (upstream's EventsToRegister, coarsened to resource/action).
export type EventResource =
  | 'Node' | 'AssignedPod' | 'UnscheduledPod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | 'CSINode' | 'CSIDriver';
export type EventAction = 'Add' | 'Update' | 'Delete';

export interface ClusterEvent {
  resource: EventResource;
  action: EventAction;
  /** For metrics and logs, e.g. "NodeAdd". */
  label?: string;
}

/** Moves every unschedulable pod regardless of which plugin rejected it (the periodic flush). */
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: 'Node', action: 'Update', label: 'UnschedulableTimeout' };

const nodeAddOrUpdate = ['Node/Add', 'Node/Update'];
const podChanges = ['AssignedPod/Add', 'AssignedPod/Update', 'AssignedPod/Delete'];

export const PLUGIN_EVENTS: Readonly<Record<string, readonly string[]>> = {
  NodeUnschedulable: nodeAddOrUpdate,
  NodeName: ['Node/Add'],
  TaintToleration: [...nodeAddOrUpdate, 'UnscheduledPod/Update'],
  NodeAffinity: [...nodeAddOrUpdate, 'UnscheduledPod/Update'],
  NodePorts: ['AssignedPod/Delete', 'Node/Add'],
  NodeResourcesFit: ['AssignedPod/Delete', 'AssignedPod/Update', ...nodeAddOrUpdate, 'UnscheduledPod/Update'],
  VolumeRestrictions: ['AssignedPod/Delete', 'Node/Add', 'PersistentVolumeClaim/Add', 'PersistentVolumeClaim/Update'],
  PodTopologySpread: [...podChanges, ...nodeAddOrUpdate, 'Node/Delete', 'UnscheduledPod/Update'],
  InterPodAffinity: [...podChanges, ...nodeAddOrUpdate, 'UnscheduledPod/Update'],
  SchedulingGates: ['UnscheduledPod/Update'],
};

/** A pod rejected by plugins none of which care about the event stays where it is. */
export function eventMayHelp(event: ClusterEvent, unschedulablePlugins: ReadonlySet<string>): boolean {
  if (event === UNSCHEDULABLE_TIMEOUT || unschedulablePlugins.size === 0) return true;
  const key = `${event.resource}/${event.action}`;
  for (const plugin of unschedulablePlugins) {
    const events = PLUGIN_EVENTS[plugin];
    // Plugins without a registration (out of tree) are moved on every event, as upstream.
    if (!events || events.includes(key)) return true;
  }
  return false;
}
