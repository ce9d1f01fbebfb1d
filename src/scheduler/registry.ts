// The in-tree plugins by name, and upstream's default profile (v1.32 MultiPoint order and
// score weights). The volume plugins read storage objects through the framework's
// ClusterObjects; with none, pods without claims pass them.
import { Framework, type FrameworkOptions, type Profile, type PluginFactory, type PluginRef, type Registry } from './framework/framework.js';
import * as defaultBinder from './plugins/default-binder.js';
import * as defaultPreemption from './plugins/default-preemption.js';
import * as imageLocality from './plugins/image-locality.js';
import * as interPodAffinity from './plugins/inter-pod-affinity.js';
import * as nodeAffinity from './plugins/node-affinity.js';
import * as nodeName from './plugins/node-name.js';
import * as nodeVolumeLimits from './plugins/node-volume-limits.js';
import * as nodePorts from './plugins/node-ports.js';
import * as balancedAllocation from './plugins/node-resources-balanced-allocation.js';
import * as nodeResourcesFit from './plugins/node-resources-fit.js';
import * as nodeUnschedulable from './plugins/node-unschedulable.js';
import * as podTopologySpread from './plugins/pod-topology-spread.js';
import * as prioritySort from './plugins/priority-sort.js';
import * as schedulingGates from './plugins/scheduling-gates.js';
import * as taintToleration from './plugins/taint-toleration.js';
import * as volumeBinding from './plugins/volume-binding.js';
import * as volumeRestrictions from './plugins/volume-restrictions.js';
import * as volumeZone from './plugins/volume-zone.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const inTreeRegistry: Registry = new Map<string, PluginFactory>([
  [schedulingGates.NAME, schedulingGates.newSchedulingGates],
  [prioritySort.NAME, prioritySort.newPrioritySort],
  [nodeUnschedulable.NAME, nodeUnschedulable.newNodeUnschedulable],
  [nodeName.NAME, nodeName.newNodeName],
  [taintToleration.NAME, taintToleration.newTaintToleration],
  [nodeAffinity.NAME, nodeAffinity.newNodeAffinity],
  [nodePorts.NAME, nodePorts.newNodePorts],
  [nodeResourcesFit.NAME, nodeResourcesFit.newNodeResourcesFit],
  [volumeRestrictions.NAME, volumeRestrictions.newVolumeRestrictions],
  [nodeVolumeLimits.NAME, nodeVolumeLimits.newNodeVolumeLimits],
  [volumeBinding.NAME, volumeBinding.newVolumeBinding],
  [volumeZone.NAME, volumeZone.newVolumeZone],
  [podTopologySpread.NAME, podTopologySpread.newPodTopologySpread],
  [interPodAffinity.NAME, interPodAffinity.newInterPodAffinity],
  [defaultPreemption.NAME, defaultPreemption.newDefaultPreemption],
  [balancedAllocation.NAME, balancedAllocation.newNodeResourcesBalancedAllocation],
  [imageLocality.NAME, imageLocality.newImageLocality],
  [defaultBinder.NAME, defaultBinder.newDefaultBinder],
]);

/** Upstream's default MultiPoint list: filters run in this order, scores use these weights. */
export const DEFAULT_MULTI_POINT: readonly PluginRef[] = [
  { name: schedulingGates.NAME },
  { name: prioritySort.NAME },
  { name: nodeUnschedulable.NAME },
  { name: nodeName.NAME },
  { name: taintToleration.NAME, weight: 3 },
  { name: nodeAffinity.NAME, weight: 2 },
  { name: nodePorts.NAME },
  { name: nodeResourcesFit.NAME, weight: 1 },
  { name: volumeRestrictions.NAME },
  { name: nodeVolumeLimits.NAME },
  { name: volumeBinding.NAME },
  { name: volumeZone.NAME },
  { name: podTopologySpread.NAME, weight: 2 },
  { name: interPodAffinity.NAME, weight: 2 },
  { name: defaultPreemption.NAME },
  { name: balancedAllocation.NAME, weight: 1 },
  { name: imageLocality.NAME, weight: 1 },
  { name: defaultBinder.NAME },
];

export function defaultProfile(schedulerName = DEFAULT_SCHEDULER_NAME): Profile {
  return { schedulerName, plugins: { multiPoint: { enabled: [...DEFAULT_MULTI_POINT] } } };
}

export function newDefaultFramework(overrides: Partial<Profile> = {}, options: FrameworkOptions = {}): Framework {
  return Framework.create(inTreeRegistry, { ...defaultProfile(), ...overrides }, options);
}
