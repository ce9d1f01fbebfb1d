// Upstream's podsShouldBeOnNode: per node, whether a daemon pod must be created, and which pods
// must go (failed ones, with back-off; succeeded ones; extras; all on a node that should not run
// the daemon). With maxSurge a node may briefly hold an old and a new pod.
import { isPodAvailable, isPodReady } from '../common/pod-util.js';
import { controllerRevisionHashLabel } from '../history/revision.js';
import type { DaemonSet, Node, Pod } from '../history/types.js';
import type { FailedPodsBackoff } from './backoff.js';
import { nodeShouldRunDaemonPod } from './eligibility.js';
import { compareDaemonPods } from './pods.js';
import { allowsSurge } from './rolling.js';

export interface ManageContext {
  backoff: FailedPodsBackoff;
  nowMs: number;
  /** A Warning event on the DaemonSet. */
  warn(reason: string, message: string): void;
  /** Look at the DaemonSet again after a delay (a failed pod in back-off). */
  enqueueAfter(delayMs: number): void;
}

export const failedDaemonPodReason = 'FailedDaemonPod';

export function podsShouldBeOnNode(node: Node, daemonPods: readonly Pod[] | undefined, ds: DaemonSet, hash: string, context: ManageContext): { create: boolean; deletePods: string[] } {
  const nodeName = node.metadata?.name ?? '';
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const deletePods: string[] = [];
  const exists = daemonPods !== undefined && daemonPods.length > 0;
  if (shouldRun && !exists) return { create: true, deletePods };
  if (!shouldContinueRunning) {
    for (const pod of daemonPods ?? []) if (!pod.metadata?.deletionTimestamp) deletePods.push(pod.metadata?.name ?? '');
    return { create: false, deletePods };
  }
  const running: Pod[] = [];
  for (const pod of daemonPods ?? []) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (pod.status?.phase === 'Failed') {
      // The kubelet may keep rejecting the pod: back off rather than fight it in a hot loop.
      const backoffKey = `${ds.metadata?.uid}/${nodeName}`;
      if (context.backoff.isInBackOffSinceUpdate(backoffKey, context.nowMs)) {
        context.enqueueAfter(context.backoff.get(backoffKey));
        continue;
      }
      context.backoff.next(backoffKey, context.nowMs);
      context.warn(failedDaemonPodReason, `Found failed daemon pod ${pod.metadata?.namespace}/${pod.metadata?.name} on node ${nodeName}, will try to kill it`);
      deletePods.push(pod.metadata?.name ?? '');
    } else if (pod.status?.phase === 'Succeeded') {
      deletePods.push(pod.metadata?.name ?? '');
    } else {
      running.push(pod);
    }
  }
  running.sort(compareDaemonPods);
  if (!allowsSurge(ds)) {
    // One daemon pod per node: all but the oldest go.
    for (const extra of running.slice(1)) deletePods.push(extra.metadata?.name ?? '');
    return { create: false, deletePods };
  }
  if (running.length <= 1) return { create: running.length === 0 && shouldRun, deletePods };
  // Surging: keep the oldest new pod and the oldest old pod; the old one goes once the new one
  // is available (or at once if the old one is not ready).
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of running) {
    if (pod.metadata?.labels?.[controllerRevisionHashLabel] === hash) {
      if (!oldestNew) {
        oldestNew = pod;
        continue;
      }
    } else if (!oldestOld) {
      oldestOld = pod;
      continue;
    }
    deletePods.push(pod.metadata?.name ?? '');
  }
  if (oldestNew && oldestOld) {
    if (!isPodReady(oldestOld as never) || isPodAvailable(oldestNew as never, ds.spec?.minReadySeconds ?? 0, context.nowMs)) deletePods.push(oldestOld.metadata?.name ?? '');
  }
  return { create: false, deletePods };
}
