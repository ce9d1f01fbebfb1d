// Pods by the node they are bound to: an index on the shared pod informer, which the node
// lifecycle and taint eviction controllers both use (upstream's podByNodeNameIndexer).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { InformerView } from '../informer-view.js';

export const nodeNameIndex = 'spec.nodeName';

/** Adds the index unless another controller sharing the informer already did. */
export function ensureNodeNameIndex(pods: InformerView): void {
  try {
    pods.cache.addIndexer(nodeNameIndex, (pod) => {
      const nodeName = (pod as Pod).spec?.nodeName;
      return nodeName ? [nodeName] : [];
    });
  } catch (error) {
    if (!/already exists/.test((error as Error).message)) throw error;
  }
}

export function podsOnNode(pods: InformerView, nodeName: string): Pod[] {
  return pods.cache.byIndex(nodeNameIndex, nodeName) as Pod[];
}
