// Filter: a NoSchedule or NoExecute taint the pod does not tolerate rules the node out.
// Score: fewer untolerated PreferNoSchedule taints is better (reverse-normalised).
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
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

function scoreTolerations(state: CycleState, pod: Pod): readonly Toleration[] {
  return state.read<Toleration[]>(STATE_KEY) ?? preferNoScheduleTolerations(pod);
}

/** The score before normalisation: how many PreferNoSchedule taints the pod does not tolerate. */
function countUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let untolerated = 0;
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !taintTolerated(tolerations, taint)) untolerated++;
  }
  return untolerated;
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
      // Most nodes have no taints: answer before looking up the pod's tolerations.
      if (nodeInfo.taints.length === 0) return 0;
      return countUntolerated(nodeInfo.taints, scoreTolerations(state, pod));
    },
    scoreNodes(state, pod, nodes, out): undefined {
      let tolerations: readonly Toleration[] | undefined;
      for (let i = 0; i < nodes.length; i++) {
        const taints = nodes[i]!.taints;
        out[i] = taints.length === 0 ? 0 : countUntolerated(taints, (tolerations ??= scoreTolerations(state, pod)));
      }
      return undefined;
    },
    normalizeScore(_state, _pod, scores): Status {
      defaultNormalizeScore(scores, true);
      return Status.success();
    },
  };
}
