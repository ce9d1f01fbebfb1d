// Which active pods go first when a Job has too many (upstream's controller.ActivePods order):
// pods that have made the least progress are deleted first, so little work is lost.
import { isPodReady, podCondition } from '../common/pod-util.js';
import type { Pod } from './types.js';

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((max, status) => Math.max(max, status.restartCount ?? 0), 0);
}

function time(text: string | undefined): number {
  return text ? Date.parse(text) : NaN;
}

/** Negative when a should be deleted before b. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const assignedA = a.spec?.nodeName ? 1 : 0;
  const assignedB = b.spec?.nodeName ? 1 : 0;
  if (assignedA !== assignedB) return assignedA - assignedB;
  const phaseA = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  if (readyA && readyB) {
    // Ready for a shorter time goes first: later transition time first.
    const sinceA = time(podCondition(a, 'Ready')?.lastTransitionTime);
    const sinceB = time(podCondition(b, 'Ready')?.lastTransitionTime);
    if (sinceA !== sinceB && !Number.isNaN(sinceA) && !Number.isNaN(sinceB)) return sinceB - sinceA;
  }
  const restartsA = restarts(a);
  const restartsB = restarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;
  const createdA = time(a.metadata?.creationTimestamp);
  const createdB = time(b.metadata?.creationTimestamp);
  if (Number.isNaN(createdA) !== Number.isNaN(createdB)) return Number.isNaN(createdA) ? -1 : 1;
  if (createdA !== createdB && !Number.isNaN(createdA)) return createdB - createdA;
  return 0;
}
