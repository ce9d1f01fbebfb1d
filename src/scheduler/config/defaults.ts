// Upstream's SetDefaults_KubeSchedulerConfiguration (apis/config/v1/defaults.go) over a decoded
// configuration object.
import { DEFAULT_MULTI_POINT, DEFAULT_SCHEDULER_NAME } from '../registry.js';
import { mergePlugins } from './merge.js';
import { argsDefaulters } from './plugin-args.js';
import {
  PLUGIN_SET_NAMES, SCHEDULER_CONFIG_API_VERSION, SCHEDULER_CONFIG_KIND,
  type KubeSchedulerConfiguration, type KubeSchedulerProfile, type PluginConfig, type Plugins,
} from './types.js';

export const DEFAULT_PARALLELISM = 16;
export const DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 0;
export const DEFAULT_POD_INITIAL_BACKOFF_SECONDS = 1;
export const DEFAULT_POD_MAX_BACKOFF_SECONDS = 10;

export function defaultPlugins(): Plugins {
  return { multiPoint: { enabled: DEFAULT_MULTI_POINT.map((ref) => ({ ...ref })) } };
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

/** Every plugin enabled anywhere in the profile, sorted, as upstream's pluginsNames. */
function enabledPluginNames(plugins: Plugins): string[] {
  const names = new Set<string>();
  for (const set of PLUGIN_SET_NAMES) for (const ref of plugins[set]?.enabled ?? []) names.add(ref.name);
  return [...names].sort();
}

/** Args of an in-tree plugin with apiVersion/kind and defaults; other plugins' args as written. */
export function defaultPluginArgs(name: string, args: Raw = {}): Raw {
  const defaulter = argsDefaulters[name];
  if (!defaulter) return args;
  const out: Raw = { apiVersion: SCHEDULER_CONFIG_API_VERSION, kind: `${name}Args`, ...structuredClone(args) };
  defaulter(out);
  return out;
}

function defaultProfile(raw: Raw, schedulerName: string | undefined): KubeSchedulerProfile {
  const plugins = mergePlugins(defaultPlugins(), raw.plugins ? (obj(raw.plugins) as Plugins) : undefined);
  const pluginConfig: PluginConfig[] = ((raw.pluginConfig as Raw[] | undefined) ?? []).map((pc) => ({
    name: String(pc.name ?? ''),
    args: defaultPluginArgs(String(pc.name ?? ''), obj(pc.args)),
  }));
  const configured = new Set(pluginConfig.map((pc) => pc.name));
  for (const name of enabledPluginNames(plugins)) {
    if (configured.has(name) || !argsDefaulters[name]) continue;
    pluginConfig.push({ name, args: defaultPluginArgs(name) });
  }
  const profile: KubeSchedulerProfile = { schedulerName: schedulerName ?? '', plugins, pluginConfig };
  if (typeof raw.percentageOfNodesToScore === 'number') profile.percentageOfNodesToScore = raw.percentageOfNodesToScore;
  return profile;
}

const orDefault = <T>(v: unknown, fallback: T): T => (v === undefined || v === null ? fallback : (v as T));

/** `raw` is a strictly decoded configuration object; it is not modified. */
export function setDefaults(raw: Raw): KubeSchedulerConfiguration {
  const rawProfiles = ((raw.profiles as Raw[] | undefined) ?? []).map(obj);
  if (rawProfiles.length === 0) rawProfiles.push({});
  // Only a lone profile gets the default name; validation requires names for the rest.
  const single = rawProfiles.length === 1;
  const profiles = rawProfiles.map((p) => defaultProfile(p, typeof p.schedulerName === 'string' ? p.schedulerName : single ? DEFAULT_SCHEDULER_NAME : undefined));

  const le = obj(raw.leaderElection);
  const cc = obj(raw.clientConnection);
  const enableProfiling = orDefault(raw.enableProfiling, true);
  return {
    apiVersion: SCHEDULER_CONFIG_API_VERSION,
    kind: SCHEDULER_CONFIG_KIND,
    parallelism: orDefault(raw.parallelism, DEFAULT_PARALLELISM),
    leaderElection: {
      leaderElect: orDefault(le.leaderElect, true),
      leaseDuration: orDefault(le.leaseDuration, '15s'),
      renewDeadline: orDefault(le.renewDeadline, '10s'),
      retryPeriod: orDefault(le.retryPeriod, '2s'),
      resourceLock: orDefault(le.resourceLock, '') || 'leases',
      resourceName: orDefault(le.resourceName, '') || 'kube-scheduler',
      resourceNamespace: orDefault(le.resourceNamespace, '') || 'kube-system',
    },
    clientConnection: {
      kubeconfig: orDefault(cc.kubeconfig, ''),
      acceptContentTypes: orDefault(cc.acceptContentTypes, ''),
      contentType: orDefault(cc.contentType, '') || 'application/vnd.kubernetes.protobuf',
      qps: orDefault(cc.qps, 0) || 50,
      burst: orDefault(cc.burst, 0) || 100,
    },
    enableProfiling,
    enableContentionProfiling: orDefault(raw.enableContentionProfiling, enableProfiling),
    percentageOfNodesToScore: orDefault(raw.percentageOfNodesToScore, DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE),
    podInitialBackoffSeconds: orDefault(raw.podInitialBackoffSeconds, DEFAULT_POD_INITIAL_BACKOFF_SECONDS),
    podMaxBackoffSeconds: orDefault(raw.podMaxBackoffSeconds, DEFAULT_POD_MAX_BACKOFF_SECONDS),
    profiles,
    extenders: ((raw.extenders as Raw[] | undefined) ?? []).map(obj),
    delayCacheUntilActive: orDefault(raw.delayCacheUntilActive, false),
  };
}

/** What kube-scheduler runs with when given no --config. */
export function defaultSchedulerConfiguration(): KubeSchedulerConfiguration {
  return setDefaults({ apiVersion: SCHEDULER_CONFIG_API_VERSION, kind: SCHEDULER_CONFIG_KIND });
}
