// The Node this agent registers and the status it reports (pkg/kubelet/nodestatus): labels,
// pod CIDR, capacity and allocatable, conditions with upstream's reasons, addresses, nodeInfo, images.
import type { Node, NodeCondition, NodeSystemInfo } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../controllers/common/clock.js';
import type { ImageStatus } from '../../runtime/cri/types.js';
import type { HostResources } from './host-info.js';

/** The kubelet's port, reported in status.daemonEndpoints. */
export const kubeletPort = 10250;
/** Upstream reports at most 50 images in node status (--node-status-max-images). */
export const nodeStatusMaxImages = 50;

export interface NodeFacts {
  name: string;
  hostIP: string;
  podCidr: string;
  controlPlane: boolean;
  resources: HostResources;
  info: NodeSystemInfo;
  images: ImageStatus[];
  /** The port the kubelet server listens on (status.daemonEndpoints); 10250 unless told otherwise. */
  kubeletPort?: number;
  /** The eviction manager's pressure conditions now true (MemoryPressure, DiskPressure, PIDPressure). */
  pressure?: readonly string[];
}

export function nodeLabels(facts: NodeFacts): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': facts.info.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.info.architecture,
    'kubernetes.io/hostname': facts.name,
    'kubernetes.io/os': 'linux',
    ...(facts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
  };
}

export function nodeConditions(nowMs: number, previous: readonly NodeCondition[] = [], pressure: readonly string[] = []): NodeCondition[] {
  const now = rfc3339(nowMs);
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  };
  return [
    pressure.includes('MemoryPressure')
      ? condition('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
      : condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    pressure.includes('DiskPressure')
      ? condition('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure.includes('PIDPressure')
      ? condition('PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
      : condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(facts: NodeFacts, nowMs: number, previous: readonly NodeCondition[] = []): NonNullable<Node['status']> {
  return {
    capacity: facts.resources.capacity,
    allocatable: facts.resources.allocatable,
    conditions: nodeConditions(nowMs, previous, facts.pressure),
    addresses: [
      { type: 'InternalIP', address: facts.hostIP },
      { type: 'Hostname', address: facts.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort ?? kubeletPort } },
    nodeInfo: facts.info,
    images: [...facts.images]
      .sort((a, b) => b.size - a.size)
      .slice(0, nodeStatusMaxImages)
      .map((image) => ({ names: [...image.repoDigests, ...image.repoTags], sizeBytes: image.size })),
  };
}

export function buildNode(facts: NodeFacts, nowMs: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: facts.name, labels: nodeLabels(facts), annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: { podCIDR: facts.podCidr, podCIDRs: [facts.podCidr] },
    status: nodeStatus(facts, nowMs),
  };
}
