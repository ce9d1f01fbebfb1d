// kube-controller-manager's node lifecycle flags and kube-apiserver's default toleration flags,
// as `k8ts server` takes them (tests shorten them to see a node fail in seconds).
import type { NodeLifecycleSettings } from '../controllers/context.js';
import { parseDurationMs } from '../storage/compactor.js';
import { UsageError, type FlagSpec } from './flags.js';

/** kube-controller-manager's flags (also taken by `k8ts controller-manager`). */
export const nodeLifecycleControllerFlags: readonly FlagSpec[] = [
  { name: 'node-monitor-period', description: 'How often the node lifecycle controller checks node health', defaultText: '5s' },
  { name: 'node-monitor-grace-period', description: 'How long a running node may go without a heartbeat before it is marked unhealthy', defaultText: '50s' },
  { name: 'node-startup-grace-period', description: 'How long a starting node may go without posting status before it is marked unhealthy', defaultText: '1m0s' },
  { name: 'node-eviction-rate', description: 'Nodes per second tainted for eviction when their zone is healthy', defaultText: '0.1' },
  { name: 'secondary-node-eviction-rate', description: 'Nodes per second tainted for eviction when their zone is unhealthy (0 in clusters of 50 nodes or fewer)', defaultText: '0.01' },
];

/** kube-apiserver's DefaultTolerationSeconds flags. */
export const defaultTolerationFlags: readonly FlagSpec[] = [
  { name: 'default-not-ready-toleration-seconds', description: 'tolerationSeconds of the not-ready:NoExecute toleration added to every pod without one', defaultText: '300' },
  { name: 'default-unreachable-toleration-seconds', description: 'tolerationSeconds of the unreachable:NoExecute toleration added to every pod without one', defaultText: '300' },
];

/** Both, for `k8ts server`. */
export const nodeLifecycleFlags: readonly FlagSpec[] = [...nodeLifecycleControllerFlags, ...defaultTolerationFlags];

export interface NodeLifecycleFlagValues {
  nodeLifecycle: NodeLifecycleSettings;
  defaultNotReadyTolerationSeconds?: number;
  defaultUnreachableTolerationSeconds?: number;
}

export function nodeLifecycleFlagValues(values: Map<string, string | boolean>): NodeLifecycleFlagValues {
  const get = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const duration = (name: string): number | undefined => {
    const text = get(name);
    if (text === undefined) return undefined;
    try {
      return parseDurationMs(text);
    } catch {
      throw new UsageError(`invalid argument "${text}" for "--${name}" flag: time: invalid duration "${text}"`);
    }
  };
  const number = (name: string, integer: boolean): number | undefined => {
    const text = get(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be a non-negative ${integer ? 'integer' : 'number'}`);
    return value;
  };
  return {
    nodeLifecycle: {
      nodeMonitorPeriodMs: duration('node-monitor-period'),
      nodeMonitorGracePeriodMs: duration('node-monitor-grace-period'),
      nodeStartupGracePeriodMs: duration('node-startup-grace-period'),
      nodeEvictionRate: number('node-eviction-rate', false),
      secondaryNodeEvictionRate: number('secondary-node-eviction-rate', false),
    },
    defaultNotReadyTolerationSeconds: number('default-not-ready-toleration-seconds', true),
    defaultUnreachableTolerationSeconds: number('default-unreachable-toleration-seconds', true),
  };
}
