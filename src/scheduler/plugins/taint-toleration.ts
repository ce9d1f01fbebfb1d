// Filter: a NoSchedule or NoExecute taint the pod does not tolerate rules the node out.
// Score: fewer untolerated PreferNoSchedule taints is better (reverse-normalised).
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { defaultNormalizeScore } from '../framework/normalize.js';
import { Status } from '../framework/status.js';
import { findUntoleratedTaint, HARD_TAINT_EFFECTS, taintTolerated } from '../framework/tolerations.js';

export const NAME = 'TaintToleration';
const STATE_KEY = `PreScore${NAME}`;

/** Upstream prints the taint as {key: value}; an empty value leaves "{key: }". */
export const errReasonUntoleratedTaint = (key: string, value: string): string => `node(s) had untolerated taint {${key}: ${value}}`;

function preferNoScheduleTolerations(pod: Pod): Toleration[] {
  return (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function newTaintToleration(): FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: NAME,
    filter(_state, pod, nodeInfo): Status {
      if (nodeInfo.taints.length === 0) return Status.success();
      const taint = findUntoleratedTaint(nodeInfo.taints, pod.spec?.tolerations ?? [], HARD_TAINT_EFFECTS);
      return taint ? Status.unresolvable(errReasonUntoleratedTaint(taint.key, taint.value ?? '')) : Status.success();
    },
    preScore(state, pod): Status {
      state.write(STATE_KEY, preferNoScheduleTolerations(pod));
      return Status.success();
    },
    score(state, pod, nodeInfo): number {
      const tolerations = state.read<Toleration[]>(STATE_KEY) ?? preferNoScheduleTolerations(pod);
      let untolerated = 0;
      const taints = nodeInfo.taints;
      if (taints.length === 0) return 0;
      for (const taint of taints) {
        if (taint.effect === 'PreferNoSchedule' && !taintTolerated(tolerations, taint)) untolerated++;
      }
      return untolerated;
    },
    normalizeScore(_state, _pod, scores): Status {
      defaultNormalizeScore(scores, true);
      return Status.success();
    },
  };
}
