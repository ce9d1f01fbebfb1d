// spec.podFailurePolicy (upstream's pod_failure_policy.go): the first rule matching a failed pod's
// exit codes or conditions decides whether the Job fails, the index fails, or the failure counts
// toward backoffLimit. Without a matching rule the failure counts.
import type { Pod } from './types.js';
import type { PodFailurePolicyAction, PodFailurePolicyRule } from './types.js';

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job fails with this message. */
  failJobMessage?: string;
  /** Whether the failure counts toward backoffLimit (and the failed counter). */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

type ContainerStatuses = NonNullable<NonNullable<Pod['status']>['containerStatuses']>;

function matchingContainer(statuses: ContainerStatuses | undefined, requirement: NonNullable<PodFailurePolicyRule['onExitCodes']>): ContainerStatuses[number] | undefined {
  for (const status of statuses ?? []) {
    if (requirement.containerName !== undefined && requirement.containerName !== status.name) continue;
    const exitCode = status.state?.terminated?.exitCode;
    // Exit code 0 is success, never matched.
    if (exitCode === undefined || exitCode === 0) continue;
    const listed = requirement.values.includes(exitCode);
    if (requirement.operator === 'In' ? listed : requirement.operator === 'NotIn' ? !listed : false) return status;
  }
  return undefined;
}

function matchRule(rule: PodFailurePolicyRule, pod: Pod): { subject: string } | undefined {
  if (rule.onExitCodes) {
    const container = matchingContainer(pod.status?.initContainerStatuses, rule.onExitCodes) ?? matchingContainer(pod.status?.containerStatuses, rule.onExitCodes);
    if (!container) return undefined;
    const ns = pod.metadata?.namespace ?? '';
    return { subject: `Container ${container.name} for pod ${ns}/${pod.metadata?.name ?? ''} failed with exit code ${container.state?.terminated?.exitCode}` };
  }
  if (rule.onPodConditions) {
    for (const pattern of rule.onPodConditions) {
      const condition = (pod.status?.conditions ?? []).find((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'));
      if (condition) return { subject: `Pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has condition ${condition.type}` };
    }
  }
  return undefined;
}

export function matchPodFailurePolicy(policy: { rules: readonly PodFailurePolicyRule[] } | undefined, pod: Pod): PolicyMatch {
  if (!policy) return { countFailed: true };
  for (const [index, rule] of policy.rules.entries()) {
    const match = matchRule(rule, pod);
    if (!match) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage: `${match.subject} matching FailJob rule at index ${index}`, countFailed: true, action: 'FailJob' };
      default:
        // An action this version does not know is skipped, as upstream skips rules it cannot apply.
        continue;
    }
  }
  return { countFailed: true };
}
