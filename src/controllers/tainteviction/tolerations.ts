// Which NoExecute taints a pod tolerates, and for how long (upstream's GetMatchingTolerations and
// getMinTolerationTime in pkg/controller/tainteviction).
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../scheduler/framework/tolerations.js';

export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((taint) => taint.effect === 'NoExecute');
}

/** For every taint, the first toleration covering it; undefined when some taint is not tolerated. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const toleration = tolerations.find((candidate) => toleratesTaint(candidate, taint));
    if (!toleration) return undefined;
    used.push(toleration);
  }
  return used;
}

/** How long the pod may stay: the smallest tolerationSeconds (0 if any is ≤ 0), or -1 for forever. */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const toleration of used) {
    if (toleration.tolerationSeconds === undefined || toleration.tolerationSeconds === null) continue;
    if (toleration.tolerationSeconds <= 0) return 0;
    min = Math.min(min, toleration.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}
