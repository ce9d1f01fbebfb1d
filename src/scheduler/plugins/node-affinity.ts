// Filter: nodeSelector and required node affinity. Score: the summed weights of the preferred
// node affinity terms a node matches, normalised so the best node gets 100.
// NodeAffinityArgs.addedAffinity (a profile's node affinity for every pod) adds to both.
import type { NodeAffinity, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { defaultNormalizeScore } from '../framework/normalize.js';
import { nodeSelectorTermMatches, nodeSelectorTermsMatch, podMatchesNodeSelectorAndAffinity } from '../framework/node-selector.js';
import { Status } from '../framework/status.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinity;
}

function preferredTerms(pod: Pod): readonly PreferredSchedulingTerm[] {
  return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
}

export function newNodeAffinity(rawArgs?: unknown): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const added = ((rawArgs ?? {}) as NodeAffinityArgs).addedAffinity;
  const addedRequired = added?.requiredDuringSchedulingIgnoredDuringExecution;
  const addedPreferred = added?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    name: NAME,
    preFilter(_state, pod): Status {
      const hasSelector = Object.keys(pod.spec?.nodeSelector ?? {}).length > 0;
      const hasRequired = !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      return hasSelector || hasRequired || addedRequired ? Status.success() : Status.skip();
    },
    filter(_state, pod, nodeInfo): Status {
      if (addedRequired && !nodeSelectorTermsMatch(addedRequired.nodeSelectorTerms ?? [], nodeInfo.node)) return Status.unresolvable(ERR_REASON_ENFORCED);
      return podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node) ? Status.success() : Status.unresolvable(ERR_REASON_POD);
    },
    preScore(_state, pod): Status {
      return preferredTerms(pod).length > 0 || addedPreferred.length > 0 ? Status.success() : Status.skip();
    },
    score(_state, pod, nodeInfo): number {
      let total = 0;
      for (const term of [...addedPreferred, ...preferredTerms(pod)]) {
        if (term.weight !== 0 && nodeSelectorTermMatches(term.preference, nodeInfo.node)) total += term.weight;
      }
      return total;
    },
    normalizeScore(_state, _pod, scores): Status {
      defaultNormalizeScore(scores, false);
      return Status.success();
    },
  };
}
