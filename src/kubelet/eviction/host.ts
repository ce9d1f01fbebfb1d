// The eviction manager wired to this host and agent: signals from /proc, the root memory cgroup
// and statfs; pod stats from the runtime; evictions through the pod workers; events through the
// API; and the node events upstream records when a pressure condition turns on or off.
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { restEventRecorder } from '../../client/index.js';
import { cgroupRoot } from '../../runtime/cgroups/cgroups.js';
import { eventComponent, recordEvent, type KubeletContext } from '../context.js';
import type { KubeletTermination } from '../pods/pod-sync.js';
import { collectPodStats } from './collect.js';
import { EvictionManager, type EvictionConfig } from './manager.js';
import { observeHost } from './observations.js';
import type { NodeReclaimer } from './reclaimer.js';
import type { PressureCondition } from './signals.js';

export interface EvictionHost {
  context: KubeletContext;
  config: EvictionConfig;
  workers: { activePods(): Pod[]; evict(pod: Pod, termination: KubeletTermination): Promise<void> };
  reclaimer?: NodeReclaimer;
  /** A pressure condition turned on or off: send the node status now. */
  onConditionsChanged(): void;
}

/** The node events upstream's status setters record on a condition's change (NodeHasInsufficientMemory …). */
const transitionEvents: Record<PressureCondition, { on: string; off: string }> = {
  MemoryPressure: { on: 'NodeHasInsufficientMemory', off: 'NodeHasSufficientMemory' },
  DiskPressure: { on: 'NodeHasDiskPressure', off: 'NodeHasNoDiskPressure' },
  PIDPressure: { on: 'NodeHasInsufficientPID', off: 'NodeHasSufficientPID' },
};

export function hostEvictionManager(host: EvictionHost): EvictionManager {
  const { context } = host;
  const recorder = restEventRecorder(context.client, eventComponent);
  // Upstream's nodeRef: the node's name stands in for its UID.
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: context.nodeName, uid: context.nodeName } };
  const nodeEvent = (type: 'Normal' | 'Warning', reason: string, message: string): void =>
    recorder.event(node, type, reason, message, { host: context.nodeName, reportingInstance: context.nodeName });
  const version = context.runtime.cgroups.version;
  const paths = {
    dataDir: context.dataDir,
    imageDir: join(context.dataDir, 'runtime', 'images'),
    memoryCgroupRoot: version === 1 ? join(cgroupRoot, 'memory') : cgroupRoot,
    cgroupVersion: version,
    proc: '/proc',
  };
  let previous: readonly PressureCondition[] = [];
  return new EvictionManager({
    config: host.config,
    clock: context.clock,
    observe: () => observeHost(paths),
    activePods: () => host.workers.activePods(),
    podStats: (pods, options) => collectPodStats(pods, { runtime: context.runtime, dataDir: context.dataDir, disk: options.disk }),
    killPod: (pod, request) => host.workers.evict(pod, request),
    recordPodEvent: (pod, type, reason, message) => recordEvent(context, pod, type, reason, message),
    recordNodeEvent: nodeEvent,
    onConditionsChanged: (conditions) => {
      for (const condition of Object.keys(transitionEvents) as PressureCondition[]) {
        const on = conditions.includes(condition);
        if (on === previous.includes(condition)) continue;
        const reason = on ? transitionEvents[condition].on : transitionEvents[condition].off;
        nodeEvent('Normal', reason, `Node ${context.nodeName} status is now: ${reason}`);
      }
      previous = [...conditions];
      host.onConditionsChanged();
    },
    ...(host.reclaimer ? { reclaimer: host.reclaimer } : {}),
    log: context.log,
  });
}
