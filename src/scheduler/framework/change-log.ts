// What changed in a live snapshot since a given point: pods placed and removed (in order), and a
// version that moves with every node change. Plugins that aggregate over every node (topology
// spreading) keep their totals and catch up from here instead of walking all nodes per pod.
import type { PodInfo } from './pod-info.js';

/** Changes kept; a reader further behind than this recomputes from scratch. */
export const CHANGE_LOG_MAX_ENTRIES = 10_000;

export interface PodChange {
  podInfo: PodInfo;
  nodeName: string;
  /** +1 placed, -1 removed. */
  sign: 1 | -1;
}

export class ChangeLog {
  private readonly entries: PodChange[] = [];
  /** Sequence number of entries[0]. */
  private firstSeq = 1;
  /** The sequence number of the last pod change; 0 before any. */
  podSeq = 0;
  /** Moves on every node add, update and removal (labels, taints and affinity inputs may change). */
  nodesVersion = 0;

  recordPod(podInfo: PodInfo, nodeName: string, sign: 1 | -1): void {
    this.podSeq++;
    this.entries.push({ podInfo, nodeName, sign });
    // Trim in batches so recording stays O(1) amortised.
    if (this.entries.length > 2 * CHANGE_LOG_MAX_ENTRIES) {
      const drop = this.entries.length - CHANGE_LOG_MAX_ENTRIES;
      this.entries.splice(0, drop);
      this.firstSeq += drop;
    }
  }

  nodesChanged(): void {
    this.nodesVersion++;
  }

  /** Pod changes after `seq`, oldest first; undefined when they are no longer all kept. */
  podChangesSince(seq: number): readonly PodChange[] | undefined {
    if (seq === this.podSeq) return [];
    if (seq + 1 < this.firstSeq || seq > this.podSeq) return undefined;
    return this.entries.slice(seq + 1 - this.firstSeq);
  }
}
