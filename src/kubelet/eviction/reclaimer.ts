// Node-level reclaim before pod eviction: under disk pressure upstream first deletes dead
// containers and unused images (containerGC.DeleteAllUnusedContainers, imageGC.DeleteUnusedImages)
// and evicts only if that was not enough. The garbage collectors implement this; the kubelet
// hands one to the eviction manager.
import type { Signal } from './signals.js';

export interface NodeReclaimer {
  /** Frees what the node can without touching running pods, for pressure on this signal. */
  reclaim(signal: Signal): Promise<void>;
}

/** Signals whose pressure node-level reclaim can relieve (upstream's buildSignalToNodeReclaimFuncs, one filesystem). */
export function reclaimableByNode(signal: Signal): boolean {
  return signal === 'nodefs.available' || signal === 'nodefs.inodesFree' || signal === 'imagefs.available' || signal === 'imagefs.inodesFree';
}
