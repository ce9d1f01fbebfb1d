// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as kube-scheduler holds it after
// decoding and defaulting: every defaulted field present, profiles' plugins merged with the
// default MultiPoint set, and pluginConfig listing the args of every in-tree plugin that has any.
import type { PluginRef, PluginSet } from '../framework/framework.js';

export const SCHEDULER_CONFIG_GROUP = 'kubescheduler.config.k8s.io';
export const SCHEDULER_CONFIG_API_VERSION = `${SCHEDULER_CONFIG_GROUP}/v1`;
export const SCHEDULER_CONFIG_KIND = 'KubeSchedulerConfiguration';

export interface LeaderElectionConfiguration {
  leaderElect: boolean;
  /** Go durations, as written in the file ("15s"). */
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  resourceLock: string;
  resourceName: string;
  resourceNamespace: string;
}

export interface ClientConnectionConfiguration {
  kubeconfig: string;
  acceptContentTypes: string;
  contentType: string;
  qps: number;
  burst: number;
}

export const PLUGIN_SET_NAMES = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind',
  'multiPoint',
] as const;
export type PluginSetName = (typeof PLUGIN_SET_NAMES)[number];

export type Plugins = Partial<Record<PluginSetName, PluginSet>>;
export type { PluginRef, PluginSet };

export interface PluginConfig {
  name: string;
  /** In-tree args carry apiVersion and kind (`<Plugin>Args`); out-of-tree args are kept as written. */
  args: Record<string, unknown>;
}

export interface KubeSchedulerProfile {
  schedulerName: string;
  /** Overrides the global value for this profile. */
  percentageOfNodesToScore?: number;
  plugins: Plugins;
  pluginConfig: PluginConfig[];
}

export interface KubeSchedulerConfiguration {
  apiVersion: typeof SCHEDULER_CONFIG_API_VERSION;
  kind: typeof SCHEDULER_CONFIG_KIND;
  parallelism: number;
  leaderElection: LeaderElectionConfiguration;
  clientConnection: ClientConnectionConfiguration;
  enableProfiling: boolean;
  enableContentionProfiling: boolean;
  /** 0: adaptive (50% minus 1% per 125 nodes, at least 5%, at least 100 nodes). */
  percentageOfNodesToScore: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: KubeSchedulerProfile[];
  /** Accepted by the parser; buildFrameworks refuses them (extenders are not supported). */
  extenders: Record<string, unknown>[];
  delayCacheUntilActive: boolean;
}
