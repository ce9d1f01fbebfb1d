// QueueSort: higher spec.priority first, then the pod that entered the queue earlier.
import type { QueueSortPlugin } from '../framework/interface.js';
import { podPriority } from '../framework/pod-info.js';

export const NAME = 'PrioritySort';

export function newPrioritySort(): QueueSortPlugin {
  return {
    name: NAME,
    less(a, b): boolean {
      const pa = podPriority(a.pod);
      const pb = podPriority(b.pod);
      return pa > pb || (pa === pb && a.timestampMs < b.timestampMs);
    },
  };
}
