// The JSON shape of KubeSchedulerConfiguration v1, for strict decoding.
import { any, arrayOf, bool, duration, float32, int32, int64, str, struct, type Schema } from './decode.js';

const plugin = struct('Plugin', { name: str, weight: int32 });
const pluginSet = struct('PluginSet', { enabled: arrayOf(plugin), disabled: arrayOf(plugin) });

const plugins = struct('Plugins', {
  preEnqueue: pluginSet, queueSort: pluginSet, preFilter: pluginSet, filter: pluginSet, postFilter: pluginSet, preScore: pluginSet,
  score: pluginSet, reserve: pluginSet, permit: pluginSet, preBind: pluginSet, bind: pluginSet, postBind: pluginSet, multiPoint: pluginSet,
});

const profile = struct('KubeSchedulerProfile', {
  schedulerName: str,
  percentageOfNodesToScore: int32,
  plugins,
  // Args are decoded per plugin once the plugin's name is known.
  pluginConfig: arrayOf(struct('PluginConfig', { name: str, args: any })),
});

export const configurationSchema = struct('KubeSchedulerConfiguration', {
  apiVersion: str,
  kind: str,
  parallelism: int32,
  leaderElection: struct('LeaderElectionConfiguration', {
    leaderElect: bool, leaseDuration: duration, renewDeadline: duration, retryPeriod: duration,
    resourceLock: str, resourceName: str, resourceNamespace: str,
  }),
  clientConnection: struct('ClientConnectionConfiguration', { kubeconfig: str, acceptContentTypes: str, contentType: str, qps: float32, burst: int32 }),
  enableProfiling: bool,
  enableContentionProfiling: bool,
  percentageOfNodesToScore: int32,
  podInitialBackoffSeconds: int64,
  podMaxBackoffSeconds: int64,
  profiles: arrayOf(profile),
  extenders: arrayOf(any),
  delayCacheUntilActive: bool,
}) as Schema & { type: 'object' };

const resourceSpec = struct('ResourceSpec', { name: str, weight: int64 });
const shapePoint = struct('UtilizationShapePoint', { utilization: int32, score: int32 });
const typeMeta = { apiVersion: str, kind: str };

/** Args kinds of the in-tree plugins, by plugin name. */
export const argsSchemas: Readonly<Record<string, Schema & { type: 'object' }>> = {
  DefaultPreemption: struct('DefaultPreemptionArgs', { ...typeMeta, minCandidateNodesPercentage: int32, minCandidateNodesAbsolute: int32 }),
  InterPodAffinity: struct('InterPodAffinityArgs', { ...typeMeta, hardPodAffinityWeight: int32, ignorePreferredTermsOfExistingPods: bool }),
  NodeAffinity: struct('NodeAffinityArgs', { ...typeMeta, addedAffinity: any }),
  NodeResourcesBalancedAllocation: struct('NodeResourcesBalancedAllocationArgs', { ...typeMeta, resources: arrayOf(resourceSpec) }),
  NodeResourcesFit: struct('NodeResourcesFitArgs', {
    ...typeMeta,
    ignoredResources: arrayOf(str),
    ignoredResourceGroups: arrayOf(str),
    scoringStrategy: struct('ScoringStrategy', {
      type: str,
      resources: arrayOf(resourceSpec),
      requestedToCapacityRatio: struct('RequestedToCapacityRatioParam', { shape: arrayOf(shapePoint) }),
    }),
  }),
  PodTopologySpread: struct('PodTopologySpreadArgs', { ...typeMeta, defaultConstraints: arrayOf(any), defaultingType: str }),
  VolumeBinding: struct('VolumeBindingArgs', { ...typeMeta, bindTimeoutSeconds: int64, shape: arrayOf(shapePoint) }),
} as Record<string, Schema & { type: 'object' }>;
