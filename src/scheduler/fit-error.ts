// Upstream's FitError text, the message of FailedScheduling events and of the PodScheduled
// condition: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match ... ."
import type { Status } from './framework/status.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** Every node's rejecting Status (for a PreFilter rejection, the same one for all). */
  nodeStatuses: ReadonlyMap<string, Status>;
  /** Set when PreFilter rejected the pod: printed once instead of a per-node histogram. */
  preFilterMessage?: string;
  /** What PostFilter (preemption) said, e.g. "preemption: 0/3 nodes are available: ...". */
  postFilterMessage?: string;
}

/** "count reason" strings, sorted as strings (so "10 x" sorts before "2 y", as upstream). */
export function reasonHistogram(nodeStatuses: ReadonlyMap<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeStatuses.values()) for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
}

/** Each part ends with exactly one period, whatever the part itself ended with. */
const sentence = (text: string): string => ` ${text.replace(/\.+$/, '')}.`;

export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMessage) {
    message += sentence(diagnosis.preFilterMessage);
  } else {
    const histogram = reasonHistogram(diagnosis.nodeStatuses);
    if (histogram.length > 0) message += sentence(histogram.join(', '));
  }
  if (diagnosis.postFilterMessage) message += sentence(diagnosis.postFilterMessage);
  return message;
}
