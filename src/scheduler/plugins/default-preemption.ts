// PostFilter: when no node fits, nominate a node where evicting lower-priority pods makes room.
import type { PostFilterPlugin } from '../framework/interface.js';
import type { Framework } from '../framework/framework.js';
import { preempt } from '../preemption.js';

export const NAME = 'DefaultPreemption';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export function newDefaultPreemption(rawArgs: unknown, fw: Framework): PostFilterPlugin {
  const { minCandidateNodesPercentage, minCandidateNodesAbsolute } = (rawArgs ?? {}) as DefaultPreemptionArgs;
  return {
    name: NAME,
    postFilter(state, pod, nodeStatuses) {
      return preempt({ fw, snapshot: state.snapshot, pod, nodeStatuses, minCandidateNodesPercentage, minCandidateNodesAbsolute });
    },
  };
}
