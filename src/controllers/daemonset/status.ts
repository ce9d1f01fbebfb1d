// DaemonSet status (upstream's updateDaemonSetStatus): counted per node over the oldest daemon
// pod there, for nodes that should run the daemon; pods on other nodes are misscheduled.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import { isPodAvailable, isPodReady } from '../common/pod-util.js';
import type { DaemonSet, DeepMutable, Node, Pod } from '../history/types.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { compareDaemonPods, isPodUpdated, templateGeneration } from './pods.js';

export type Counts = Required<Pick<DaemonSetStatus, 'desiredNumberScheduled' | 'currentNumberScheduled' | 'numberMisscheduled' | 'numberReady' | 'updatedNumberScheduled' | 'numberAvailable' | 'numberUnavailable'>>;

export function countDaemonStatus(ds: DaemonSet, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, Pod[]>, hash: string, nowMs: number): Counts {
  const counts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  const generation = templateGeneration(ds);
  for (const node of nodes) {
    const pods = nodeToPods.get(node.metadata?.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (!scheduled) continue;
    counts.currentNumberScheduled++;
    const pod = [...pods].sort(compareDaemonPods)[0]!;
    if (isPodReady(pod as never)) {
      counts.numberReady++;
      if (isPodAvailable(pod as never, ds.spec?.minReadySeconds ?? 0, nowMs)) counts.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}

/** The status to write, or undefined when nothing changed (upstream's storeDaemonSetStatus check). */
export function nextDaemonStatus(ds: DaemonSet, counts: Counts, updateObservedGeneration: boolean): DeepMutable<DaemonSetStatus> | undefined {
  const old = ds.status ?? ({} as DeepMutable<DaemonSetStatus>);
  const generation = ds.metadata?.generation ?? 0;
  const same = (Object.keys(counts) as (keyof Counts)[]).every((field) => (old[field] ?? 0) === counts[field]);
  if (same && (old.observedGeneration ?? 0) >= generation) return undefined;
  return { ...old, ...counts, ...(updateObservedGeneration ? { observedGeneration: generation } : {}) };
}
