// One Framework per configured profile, as kube-scheduler's profile.NewMap, with its errors.
import { formatFieldErrors, rootPath } from '../../api/field-errors.js';
import { EMPTY_CLUSTER_OBJECTS, type ClusterObjects } from '../framework/cluster-objects.js';
import { Framework, type Profile, type ProfilePlugins, type Registry } from '../framework/framework.js';
import { inTreeRegistry } from '../registry.js';
import { parseGoDurationMs } from './duration.js';
import { SchedulerConfigError } from './parse.js';
import { validateNodeResourcesFitArgs } from './plugin-args.js';
import { PLUGIN_SET_NAMES, type KubeSchedulerConfiguration, type KubeSchedulerProfile, type Plugins } from './types.js';

export interface BuildFrameworksOptions {
  /** The in-tree registry by default; the scheduler wiring passes one whose DefaultBinder binds through the API. */
  registry?: Registry;
}

/** The merged plugin sets as the framework takes them; multiPoint's disabled list is already applied. */
function frameworkPlugins(plugins: Plugins): ProfilePlugins {
  const out: ProfilePlugins = {};
  for (const name of PLUGIN_SET_NAMES) {
    const set = plugins[name];
    if (!set || name === 'postBind') continue;
    out[name] = name === 'multiPoint' ? { enabled: set.enabled ?? [] } : set;
  }
  return out;
}

function withoutTypeMeta(args: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = args;
  return rest;
}

const isEnabled = (profile: KubeSchedulerProfile, plugin: string): boolean =>
  PLUGIN_SET_NAMES.some((set) => (profile.plugins[set]?.enabled ?? []).some((ref) => ref.name === plugin));

function createFramework(config: KubeSchedulerConfiguration, p: KubeSchedulerProfile, registry: Registry, clusterObjects: ClusterObjects): Framework {
  const pluginArgs: Record<string, unknown> = {};
  for (const pc of p.pluginConfig) pluginArgs[pc.name] = withoutTypeMeta(pc.args);

  // No in-tree plugin extends PostBind; naming one there is a configuration error, as upstream.
  for (const ref of p.plugins.postBind?.enabled ?? []) {
    throw new Error(registry.has(ref.name) ? `plugin "${ref.name}" does not extend PostBindPlugin plugin` : `PostBindPlugin "${ref.name}" does not exist`);
  }
  const fitArgs = p.pluginConfig.find((pc) => pc.name === 'NodeResourcesFit')?.args;
  if (fitArgs && isEnabled(p, 'NodeResourcesFit')) {
    const errs = validateNodeResourcesFitArgs(fitArgs, rootPath());
    if (errs.length > 0) throw new Error(`initializing plugin "NodeResourcesFit": ${formatFieldErrors(errs)}`);
  }

  const profile: Profile = {
    schedulerName: p.schedulerName,
    plugins: frameworkPlugins(p.plugins),
    pluginArgs,
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? config.percentageOfNodesToScore,
  };
  const fw = Framework.create(registry, profile, { clusterObjects });
  if (fw.queueSortCount !== 1) {
    throw new Error(`only one queue sort plugin required for profile with scheduler name "${p.schedulerName}", but got ${fw.queueSortCount}`);
  }
  if (fw.bind.length === 0) throw new Error(`at least one bind plugin is needed for profile with scheduler name "${p.schedulerName}"`);
  return fw;
}

/**
 * schedulerName -> Framework for a parsed configuration. Throws SchedulerConfigError with
 * kube-scheduler's "initializing profiles: ..." messages (unknown or misplaced plugins, ...).
 */
export function buildFrameworks(
  config: KubeSchedulerConfiguration,
  clusterObjects: ClusterObjects = EMPTY_CLUSTER_OBJECTS,
  options: BuildFrameworksOptions = {},
): Map<string, Framework> {
  if (config.extenders.length > 0) throw new SchedulerConfigError('scheduler extenders are not supported by k8ts');
  const registry = options.registry ?? inTreeRegistry;
  const frameworks = new Map<string, Framework>();
  let queueSort: { name: string; args: string } | undefined;
  for (const p of config.profiles) {
    let fw: Framework;
    try {
      fw = createFramework(config, p, registry, clusterObjects);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new SchedulerConfigError(`initializing profiles: creating profile for scheduler name ${p.schedulerName}: ${message}`);
    }
    if (frameworks.has(p.schedulerName)) throw new SchedulerConfigError(`initializing profiles: duplicate profile with scheduler name "${p.schedulerName}"`);
    // The profiles share one scheduling queue, so they must order it the same way.
    const name = fw.queueSort!.name;
    const args = JSON.stringify(p.pluginConfig.find((pc) => pc.name === name)?.args ?? null);
    if (!queueSort) queueSort = { name, args };
    else if (queueSort.name !== name) {
      throw new SchedulerConfigError(`initializing profiles: different queue sort plugins for profile "${p.schedulerName}": "${name}", first: "${queueSort.name}"`);
    } else if (queueSort.args !== args) {
      throw new SchedulerConfigError(`initializing profiles: different queue sort plugin args for profile "${p.schedulerName}"`);
    }
    frameworks.set(p.schedulerName, fw);
  }
  return frameworks;
}

/** The leader election timings in milliseconds, for the client's LeaderElector. */
export function leaderElectionTimingsMs(config: KubeSchedulerConfiguration): { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number } {
  const le = config.leaderElection;
  return {
    leaseDurationMs: parseGoDurationMs(le.leaseDuration),
    renewDeadlineMs: parseGoDurationMs(le.renewDeadline),
    retryPeriodMs: parseGoDurationMs(le.retryPeriod),
  };
}
