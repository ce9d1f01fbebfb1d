// Filter: nodes marked spec.unschedulable (kubectl cordon) take only pods tolerating the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { FilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { Status } from '../framework/status.js';
import { taintTolerated } from '../framework/tolerations.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

export function newNodeUnschedulable(): FilterPlugin {
  return {
    name: NAME,
    filter(_state, pod: Pod, nodeInfo: NodeInfo): Status {
      if (!nodeInfo.unschedulable) return Status.success();
      if (taintTolerated(pod.spec?.tolerations ?? [], UNSCHEDULABLE_TAINT)) return Status.success();
      return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  };
}
