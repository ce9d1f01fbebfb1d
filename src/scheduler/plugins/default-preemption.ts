// PostFilter: when no node fits, nominate a node where evicting lower-priority pods makes room.
import type { PostFilterPlugin } from '../framework/interface.js';
import type { Framework } from '../framework/framework.js';
import { preempt } from '../preemption.js';

export const NAME = 'DefaultPreemption';

export function newDefaultPreemption(_args: unknown, fw: Framework): PostFilterPlugin {
  return {
    name: NAME,
    postFilter(state, pod, nodeStatuses) {
      return preempt({ fw, snapshot: state.snapshot, pod, nodeStatuses });
    },
  };
}
