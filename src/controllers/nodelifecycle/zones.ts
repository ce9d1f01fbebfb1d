// Zones and their disruption states (upstream's nodetopology.GetZoneKey and ComputeZoneState): a
// zone where most nodes went silent at once is more likely cut off than broken, so evictions
// there slow down or stop.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** Nodes with this label are not counted when judging a zone's health. */
export const excludeDisruptionLabel = 'node.kubernetes.io/exclude-disruption';

export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  if (!zone && !region) return '';
  // A NUL separator, as upstream, since neither part can contain one.
  return `${region}:\x00:${zone}`;
}

export function isExcludedFromDisruptionChecks(node: Node): boolean {
  return node.metadata?.labels?.[excludeDisruptionLabel] !== undefined;
}

/**
 * FullDisruption when no node of the zone is ready; PartialDisruption when more than two and at
 * least unhealthyZoneThreshold of them are not; Normal otherwise.
 */
export function computeZoneState(readyConditions: readonly (NodeCondition | undefined)[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const condition of readyConditions) {
    if (condition?.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}
