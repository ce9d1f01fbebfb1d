// Filter: the pod's hostPorts must be free on the node (per IP and protocol).
import type { FilterPlugin, PreFilterPlugin } from '../framework/interface.js';
import { podHostPorts, type HostPort } from '../framework/host-ports.js';
import { Status } from '../framework/status.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = `PreFilter${NAME}`;

export function newNodePorts(): PreFilterPlugin & FilterPlugin {
  return {
    name: NAME,
    preFilter(state, pod): Status {
      const ports = podHostPorts(pod);
      if (ports.length === 0) return Status.skip();
      state.write(STATE_KEY, ports);
      return Status.success();
    },
    filter(state, _pod, nodeInfo): Status {
      const ports = state.read<HostPort[]>(STATE_KEY) ?? [];
      if (ports.some((p) => nodeInfo.usedPorts.conflicts(p))) return Status.unschedulable(ERR_REASON);
      return Status.success();
    },
  };
}
