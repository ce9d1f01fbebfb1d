// Upstream's disruption controller (pkg/controller/disruption/disruption.go): keeps every
// PodDisruptionBudget's status — expected, desired and current healthy pods, disruptions allowed,
// the evictions not yet carried out — which the eviction subresource consults. It also clears the
// DisruptionTarget condition of pods that were marked for disruption but never deleted.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { isConflict, isNotFound, runWorkers, WorkQueue } from '../../client/index.js';
import { rfc3339, type Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import { podCondition } from '../common/pod-util.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { buildDisruptedPodMap, countHealthyPods, desiredStatus, expectedPodCount, failSafeStatus, type ScaleFinder } from './budget.js';

/** Upstream's stalePodDisruptionTimeout: a DisruptionTarget condition older than this on a live pod is cleared. */
export const stalePodDisruptionTimeoutMs = 2 * 60_000;
export const disruptionTargetCondition = 'DisruptionTarget';

export interface DisruptionApi {
  updateStatus(pdb: PodDisruptionBudget): Promise<unknown>;
  /** Strategic merge patch of a pod's status. */
  patchPodStatus(namespace: string, name: string, patch: unknown): Promise<unknown>;
}

export interface DisruptionControllerOptions {
  pdbs: InformerView;
  pods: InformerView;
  /** Informers whose scale changes re-trigger the budgets of their namespace. */
  scaleSources?: readonly InformerView[];
  findScale: ScaleFinder;
  api: DisruptionApi;
  recorder: EventRecorder;
  clock: Clock;
}

function keyOf(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** Go's %v of a *metav1.LabelSelector, as upstream's UnmanagedPods message prints it. */
export function goLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '<nil>';
  const labels = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((key) => `${key}: ${selector.matchLabels![key]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

export class DisruptionController {
  readonly queue = new WorkQueue<string>({ name: 'disruption' });
  readonly stalePodQueue = new WorkQueue<string>({ name: 'disruption_stale_pod_disruption' });

  constructor(private readonly options: DisruptionControllerOptions) {
    options.pdbs.addEventHandler({
      onAdd: (pdb) => this.queue.add(keyOf(pdb)),
      onUpdate: (_old, pdb) => this.queue.add(keyOf(pdb)),
      onDelete: (pdb) => this.queue.add(keyOf(unwrapDeleted(pdb))),
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod as Pod),
      onUpdate: (old, pod) => {
        this.podChanged(pod as Pod);
        if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) this.podChanged(old as Pod);
      },
      onDelete: (pod) => this.podChanged(unwrapDeleted(pod) as Pod),
    });
    for (const source of options.scaleSources ?? []) {
      source.addEventHandler({
        onUpdate: (old, object) => {
          if ((old.spec as { replicas?: number } | undefined)?.replicas === (object.spec as { replicas?: number } | undefined)?.replicas) return;
          for (const pdb of options.pdbs.cache.byIndex('namespace', object.metadata?.namespace ?? '')) this.queue.add(keyOf(pdb));
        },
      });
    }
  }

  async run(workers = 1): Promise<void> {
    const informers = [this.options.pdbs, this.options.pods, ...(this.options.scaleSources ?? [])];
    for (const informer of informers) if (!(await informer.waitForSync())) return;
    await Promise.all([runWorkers(this.queue, workers, (key) => this.sync(key)), runWorkers(this.stalePodQueue, workers, (key) => this.syncStalePodDisruption(key))]);
  }

  shutDown(): void {
    this.queue.shutDown();
    this.stalePodQueue.shutDown();
  }

  /** Budgets in the pod's namespace whose selector matches it, by name (upstream's GetPodPodDisruptionBudgets). */
  private budgetsFor(pod: Pod): PodDisruptionBudget[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    const candidates = this.options.pdbs.cache.byIndex('namespace', pod.metadata?.namespace ?? '') as PodDisruptionBudget[];
    return candidates
      .filter((pdb) => {
        const selector = pdb.spec?.selector;
        if (!selector) return false;
        try {
          return labelSelectorFromObject(selector).matches(labels);
        } catch {
          return false;
        }
      })
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  private podChanged(pod: Pod): void {
    const budgets = this.budgetsFor(pod);
    const chosen = budgets[0];
    if (chosen) {
      if (budgets.length > 1) {
        this.options.recorder.event(pod as KubeObject, 'Warning', 'MultiplePodDisruptionBudgets', `Pod "${pod.metadata?.namespace}"/"${pod.metadata?.name}" matches multiple PodDisruptionBudgets.  Chose "${chosen.metadata?.name}" arbitrarily.`);
      }
      this.queue.add(keyOf(chosen as KubeObject));
    }
    const staleAfterMs = this.stalePodDisruptionDelayMs(pod);
    if (staleAfterMs !== undefined) this.stalePodQueue.addAfter(keyOf(pod as KubeObject), staleAfterMs);
  }

  /** Milliseconds until the pod's DisruptionTarget condition counts as stale; undefined when it has none to clear. */
  private stalePodDisruptionDelayMs(pod: Pod): number | undefined {
    if (pod.metadata?.deletionTimestamp) return undefined;
    const condition = podCondition(pod, disruptionTargetCondition);
    if (condition?.status !== 'True') return undefined;
    const since = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : this.options.clock.now();
    return Math.max(0, since + stalePodDisruptionTimeoutMs - this.options.clock.now());
  }

  /** One budget, by "namespace/name"; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const pdb = this.options.pdbs.cache.get(key) as PodDisruptionBudget | undefined;
    if (!pdb) return;
    try {
      await this.trySync(key, pdb);
    } catch (error) {
      // A lost race with another writer is retried as is; anything else stops disruptions until fixed.
      if (isConflict(error) || isNotFound(error)) throw error;
      console.error(`disruption: failed to sync ${key}: ${(error as Error).message}`);
      await this.writeStatus(pdb, failSafeStatus(pdb, error as Error, this.options.clock.now()));
    }
  }

  private async trySync(key: string, pdb: PodDisruptionBudget): Promise<void> {
    const { recorder, clock } = this.options;
    const pdbObject = pdb as KubeObject;
    const pods = this.podsFor(pdb);
    if (pods.length === 0) recorder.event(pdbObject, 'Normal', 'NoPods', 'No matching pods found');
    let counts;
    try {
      counts = await expectedPodCount(pdb, pods, this.options.findScale);
    } catch (error) {
      recorder.event(pdbObject, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(error as Error).message}`);
      throw error;
    }
    if (counts.unmanagedPods.length > 0) {
      recorder.event(
        pdbObject,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelector(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const nowMs = clock.now();
    const { disruptedPods, recheckAtMs } = buildDisruptedPodMap(pods, pdb, nowMs, (pod) =>
      // Upstream prints the budget's namespace twice; kept so messages match.
      recorder.event(pod as KubeObject, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata?.namespace}/${pdb.metadata?.namespace} to be deleted but it wasn't`),
    );
    const currentHealthy = countHealthyPods(pods, disruptedPods, nowMs);
    const status = desiredStatus(pdb, { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount, disruptedPods }, nowMs);
    if (status) await this.writeStatus(pdb, status);
    if (recheckAtMs !== undefined) this.queue.addAfter(key, recheckAtMs - nowMs);
  }

  private podsFor(pdb: PodDisruptionBudget): Pod[] {
    const selector = labelSelectorFromObject(pdb.spec?.selector ?? null);
    const pods = this.options.pods.cache.byIndex('namespace', pdb.metadata?.namespace ?? '') as Pod[];
    return pods.filter((pod) => selector.matches(pod.metadata?.labels ?? {}));
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    const updated = structuredClone(pdb);
    updated.status = status;
    await this.options.api.updateStatus(updated);
  }

  /** Clears a DisruptionTarget condition left on a pod that was never deleted (upstream's syncStalePodDisruption). */
  async syncStalePodDisruption(key: string): Promise<void> {
    const pod = this.options.pods.cache.get(key) as Pod | undefined;
    if (!pod) return;
    const delayMs = this.stalePodDisruptionDelayMs(pod);
    if (delayMs === undefined) return;
    if (delayMs > 0) {
      this.stalePodQueue.addAfter(key, delayMs);
      return;
    }
    const patch = {
      metadata: { resourceVersion: pod.metadata?.resourceVersion },
      status: { conditions: [{ type: disruptionTargetCondition, status: 'False', lastTransitionTime: rfc3339(this.options.clock.now()) }] },
    };
    try {
      await this.options.api.patchPodStatus(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', patch);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
