// Filter: a pod that already names its node (spec.nodeName) fits only that node.
import type { FilterPlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function newNodeName(): FilterPlugin {
  return {
    name: NAME,
    filter(_state, pod, nodeInfo): Status {
      const wanted = pod.spec?.nodeName;
      if (!wanted || wanted === nodeInfo.name) return Status.success();
      return Status.unresolvable(ERR_REASON);
    },
  };
}
