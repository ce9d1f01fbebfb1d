// pods/eviction: a delete that respects PodDisruptionBudgets (upstream's
// pkg/registry/core/pod/storage/eviction.go). Pods that are finished, pending or already being
// deleted go at once; otherwise the one budget matching the pod must allow a disruption, which
// the eviction takes by decrementing status.disruptionsAllowed and recording the pod in
// status.disruptedPods (the disruption controller forgets it if the pod is not deleted in time).
// Unready pods may go without using up the budget when it is already met, or always under
// unhealthyPodEvictionPolicy AlwaysAllow. The pod gets the DisruptionTarget condition first.
import { StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { sendJson } from '../http/respond.js';
import { timestamp } from '../registry/object-meta.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { RequestContext } from './context.js';
import { readObject } from './write.js';

/** Upstream's EvictionsRetry: attempts at the budget write when it loses a race. */
export const evictionConflictRetriesMax = 20;
/** Pause between those attempts (upstream: 500 ms, 10 % jitter). */
const evictionRetryDelayMs = 500;
/** Upstream's MaxDisruptedPodSize: evictions not yet confirmed by the disruption controller. */
export const maxDisruptedPodSize = 2000;

const violationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

interface Budget extends KubeObject {
  spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | null; unhealthyPodEvictionPolicy?: string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; observedGeneration?: number; disruptedPods?: Record<string, string>; conditions?: Record<string, unknown>[] };
}

type Pod = KubeObject & { status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[] } };

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods whose deletion disrupts nothing more (upstream's canIgnorePDB). */
export function canIgnorePdb(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp != null;
}

/** Budgets of the pod's namespace whose non-empty selector matches it. */
export function matchingBudgets(pod: Pod, budgets: readonly Budget[]): Budget[] {
  const labels = pod.metadata?.labels ?? {};
  return budgets.filter((budget) => {
    const selector = budget.spec?.selector;
    // A nil or empty selector matches nothing here, as upstream (not everything).
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) return false;
    try {
      return labelSelectorFromObject(selector).matches(labels);
    } catch {
      return false;
    }
  });
}

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  return new StatusError(429, 'TooManyRequests', violationMessage, { ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}), causes: [{ reason: 'DisruptionBudget', message: cause }] } as never);
}

/** May the unready pod go without using up the budget? (upstream's unhealthy pod rules) */
export function unhealthyPodMayGo(budget: Budget): boolean {
  if (budget.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const status = budget.status ?? {};
  return (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0;
}

/**
 * Upstream's checkAndDecrement: the budget with one disruption taken and the pod recorded, or a
 * refusal. nowIso stamps the disruption.
 */
export function decrementedBudget(budget: Budget, podName: string, nowIso: string, dryRun: boolean): Budget {
  const name = budget.metadata?.name ?? '';
  const status = budget.status ?? {};
  if ((status.observedGeneration ?? 0) < (budget.metadata?.generation ?? 0)) throw tooManyRequests(10, `The disruption budget ${name} is still being processed by the server.`);
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw new StatusError(403, 'Forbidden', `poddisruptionbudgets.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPodSize) {
    throw new StatusError(403, 'Forbidden', `poddisruptionbudgets.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if (allowed === 0) throw tooManyRequests(0, `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`);
  const next = structuredClone(budget);
  const nextStatus = (next.status ??= {});
  nextStatus.disruptionsAllowed = allowed - 1;
  if (nextStatus.disruptionsAllowed === 0) {
    const conditions = (nextStatus.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed');
    const previous = (nextStatus.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    conditions.push({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: nextStatus.observedGeneration, lastTransitionTime: previous?.status === 'False' ? previous.lastTransitionTime : nowIso });
    nextStatus.conditions = conditions;
  }
  if (!dryRun) nextStatus.disruptedPods = { ...(nextStatus.disruptedPods ?? {}), [podName]: nowIso };
  return next;
}

async function takeDisruption(budgets: ResourceStore, namespace: string, budget: Budget, podName: string, dryRun: boolean): Promise<void> {
  let current = budget;
  for (let attempt = 1; ; attempt++) {
    const next = decrementedBudget(current, podName, timestamp(), dryRun);
    if (dryRun) return;
    try {
      await budgets.update(namespace, current.metadata?.name ?? '', next, { dryRun: false, subresource: 'status' });
      return;
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 409)) throw error;
      if (attempt >= evictionConflictRetriesMax) throw new StatusError(504, 'Timeout', `couldn't update PodDisruptionBudget "${current.metadata?.name}" due to conflicts`, { retryAfterSeconds: 10 } as never);
    }
    await new Promise((resolve) => setTimeout(resolve, evictionRetryDelayMs * (0.9 + Math.random() * 0.2)));
    current = (await budgets.get(namespace, current.metadata?.name ?? '')).object as Budget;
  }
}

/** Adds DisruptionTarget (reason EvictionByEvictionAPI), then deletes; a resourceVersion precondition guards both. */
async function addConditionAndDeletePod(pods: ResourceStore, namespace: string, name: string, options: { dryRun: boolean; gracePeriodSeconds?: number; resourceVersion?: string }): Promise<void> {
  let resourceVersion = options.resourceVersion;
  if (!options.dryRun) {
    const updated = await pods.update(
      namespace,
      name,
      (pod: Pod) => {
        if (resourceVersion && pod.metadata?.resourceVersion !== resourceVersion) {
          throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods "${name}": the object has been modified; please apply your changes to the latest version and try again`);
        }
        const conditions = [...(pod.status?.conditions ?? [])];
        const index = conditions.findIndex((c) => c.type === 'DisruptionTarget');
        const previous = index >= 0 ? conditions[index] : undefined;
        const condition = { type: 'DisruptionTarget', status: 'True', lastTransitionTime: previous?.status === 'True' ? previous.lastTransitionTime : timestamp(), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
        if (index >= 0) conditions[index] = condition;
        else conditions.push(condition);
        pod.status = { ...pod.status, conditions };
        return pod;
      },
      { dryRun: false, subresource: 'status' },
    );
    if (resourceVersion) resourceVersion = updated.object.metadata?.resourceVersion;
  }
  await pods.delete(namespace, name, { dryRun: options.dryRun, gracePeriodSeconds: options.gracePeriodSeconds, preconditions: resourceVersion ? { resourceVersion } : undefined });
}

export async function handleEviction(ctx: RequestContext): Promise<void> {
  const { info, endpoint } = ctx;
  const eviction = await readObject(ctx, { apiVersion: 'policy/v1', kind: 'Eviction' });
  const options = (eviction.deleteOptions ?? {}) as { gracePeriodSeconds?: number; dryRun?: string[]; preconditions?: { resourceVersion?: string } };
  const dryRun = Array.isArray(options.dryRun) && options.dryRun.includes('All');
  const requestedVersion = options.preconditions?.resourceVersion || undefined;
  const pods = endpoint.store;
  const pod = (await pods.get(info.namespace, info.name)).object as Pod;
  const deleteOptions = { dryRun, gracePeriodSeconds: options.gracePeriodSeconds };
  const succeed = () => sendJson(ctx.response, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  if (canIgnorePdb(pod)) {
    // Guarded by the version we judged, so the pod cannot have started running meanwhile.
    await addConditionAndDeletePod(pods, info.namespace, info.name, { ...deleteOptions, resourceVersion: requestedVersion ?? pod.metadata?.resourceVersion });
    return succeed();
  }
  const budgetStore = ctx.services.storeFor('policy', 'poddisruptionbudgets');
  let guardVersion = requestedVersion;
  let budgetName = '';
  if (budgetStore) {
    await budgetStore.fresh();
    const budgets = matchingBudgets(pod, budgetStore.cache.list(budgetStore.prefix(info.namespace)).map((item) => item.object as Budget));
    if (budgets.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const budget = budgets[0];
    if (budget) {
      budgetName = budget.metadata?.name ?? '';
      if (!isReady(pod) && unhealthyPodMayGo(budget)) {
        // Only while it is still unready: a pod that became ready meanwhile is guarded again.
        guardVersion ??= pod.metadata?.resourceVersion;
      } else {
        await takeDisruption(budgetStore, info.namespace, budget, info.name, dryRun);
      }
    }
  }
  try {
    await addConditionAndDeletePod(pods, info.namespace, info.name, { ...deleteOptions, resourceVersion: guardVersion });
  } catch (error) {
    if (error instanceof StatusError && error.code === 409 && guardVersion && !requestedVersion) throw tooManyRequests(10, `The disruption budget ${budgetName} is still being processed by the server.`);
    throw error;
  }
  succeed();
}
