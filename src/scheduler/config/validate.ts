// Upstream's ValidateKubeSchedulerConfiguration over a defaulted configuration, with its field
// paths and messages.
import { invalid, required, rootPath, type FieldError, type FieldPath } from '../../api/field-errors.js';
import { parseGoDurationMs } from './duration.js';
import { argsValidators } from './plugin-args.js';
import type { KubeSchedulerConfiguration, KubeSchedulerProfile, LeaderElectionConfiguration } from './types.js';

/** field.Duplicate with a path as its value, which Go prints bare (a Stringer). */
const duplicatePath = (path: FieldPath, other: FieldPath): FieldError => ({
  type: 'FieldValueDuplicate',
  field: path.toString(),
  detail: other.toString(),
  omitValue: true,
});

const durationMs = (text: string): number => {
  try {
    return parseGoDurationMs(text);
  } catch {
    return 0;
  }
};

function validateLeaderElection(le: LeaderElectionConfiguration, path: FieldPath): FieldError[] {
  if (!le.leaderElect) return [];
  const errs: FieldError[] = [];
  const lease = durationMs(le.leaseDuration);
  const renew = durationMs(le.renewDeadline);
  if (lease <= 0) errs.push(invalid(path.child('leaseDuration'), le.leaseDuration, 'must be greater than zero'));
  if (renew <= 0) errs.push(invalid(path.child('renewDeadline'), le.renewDeadline, 'must be greater than zero'));
  if (durationMs(le.retryPeriod) <= 0) errs.push(invalid(path.child('retryPeriod'), le.retryPeriod, 'must be greater than zero'));
  if (lease <= renew) errs.push(invalid(path.child('leaseDuration'), le.renewDeadline, 'LeaseDuration must be greater than RenewDeadline'));
  if (!le.resourceLock) errs.push(invalid(path.child('resourceLock'), le.resourceLock, 'resourceLock is required'));
  if (!le.resourceNamespace) errs.push(invalid(path.child('resourceNamespace'), le.resourceNamespace, 'resourceNamespace is required'));
  if (!le.resourceName) errs.push(invalid(path.child('resourceName'), le.resourceName, 'resourceName is required'));
  // Only Lease objects are supported as locks.
  if (le.resourceLock !== 'leases') errs.push(invalid(path.child('resourceLock'), le.resourceLock, 'resourceLock value must be "leases"'));
  return errs;
}

function validatePercentage(path: FieldPath, value: number | undefined): FieldError[] {
  return value !== undefined && (value < 0 || value > 100) ? [invalid(path, value, 'not in valid range [0-100]')] : [];
}

function validateProfile(profile: KubeSchedulerProfile, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!profile.schedulerName) errs.push(required(path.child('schedulerName')));
  errs.push(...validatePercentage(path.child('percentageOfNodesToScore'), profile.percentageOfNodesToScore));
  const seen = new Set<string>();
  for (const [i, pc] of profile.pluginConfig.entries()) {
    const p = path.child('pluginConfig').index(i);
    if (seen.has(pc.name)) errs.push({ type: 'FieldValueDuplicate', field: p.toString(), value: pc.name });
    seen.add(pc.name);
    errs.push(...(argsValidators[pc.name]?.(pc.args, p.child('args')) ?? []));
  }
  return errs;
}

/** Every profile must sort its queue the same way, since they share one queue. */
function validateCommonQueueSort(profiles: readonly KubeSchedulerProfile[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const first = profiles[0];
  if (!first) return errs;
  const canon = first.plugins.queueSort ?? {};
  const enabled = canon.enabled ?? [];
  if (enabled.length > 1) errs.push(invalid(path.index(0).child('plugins', 'queueSort', 'Enabled'), enabled.length, 'only one queue sort plugin can be enabled'));
  const queueSortName = enabled[0]?.name;
  const queueSortArgs = first.pluginConfig.find((pc) => pc.name === queueSortName)?.args;
  for (const [i, profile] of profiles.entries()) {
    if (i === 0) continue;
    const current = profile.plugins.queueSort ?? {};
    if (JSON.stringify(current) !== JSON.stringify(canon)) errs.push(invalid(path.index(i).child('plugins', 'queueSort'), current, 'must be the same for all profiles'));
    for (const pc of profile.pluginConfig) {
      if (pc.name === queueSortName && JSON.stringify(pc.args) !== JSON.stringify(queueSortArgs)) {
        errs.push(invalid(path.index(i).child('pluginConfig', 'args'), pc.args, 'must be the same for all profiles'));
      }
    }
  }
  return errs;
}

export function validateSchedulerConfiguration(config: KubeSchedulerConfiguration): FieldError[] {
  const errs: FieldError[] = [];
  if (config.clientConnection.burst < 0) errs.push(invalid(rootPath('clientConnection').child('burst'), config.clientConnection.burst, 'must be non-negative'));
  errs.push(...validateLeaderElection(config.leaderElection, rootPath('leaderElection')));
  if (config.parallelism <= 0) errs.push(invalid(rootPath('parallelism'), config.parallelism, 'should be an integer value greater than zero'));

  const profilesPath = rootPath('profiles');
  if (config.profiles.length === 0) {
    errs.push(required(profilesPath));
  } else {
    const byName = new Map<string, number>();
    for (const [i, profile] of config.profiles.entries()) {
      const p = profilesPath.index(i);
      errs.push(...validateProfile(profile, p));
      const earlier = byName.get(profile.schedulerName);
      if (earlier !== undefined) errs.push(duplicatePath(p.child('schedulerName'), profilesPath.index(earlier).child('schedulerName')));
      byName.set(profile.schedulerName, i);
    }
    errs.push(...validateCommonQueueSort(config.profiles, profilesPath));
  }

  errs.push(...validatePercentage(rootPath('percentageOfNodesToScore'), config.percentageOfNodesToScore));
  if (config.podInitialBackoffSeconds <= 0) errs.push(invalid(rootPath('podInitialBackoffSeconds'), config.podInitialBackoffSeconds, 'must be greater than 0'));
  if (config.podMaxBackoffSeconds < config.podInitialBackoffSeconds) {
    errs.push(invalid(rootPath('podMaxBackoffSeconds'), config.podMaxBackoffSeconds, 'must be greater than or equal to PodInitialBackoffSeconds'));
  }
  return errs;
}
