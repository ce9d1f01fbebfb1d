// The Node a simulated kubelet registers and the status it reports, shaped like a kubelet's
// (conditions, reasons and messages from pkg/kubelet/nodestatus) and labelled like kwok's nodes.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { nodeConditions } from '../kubelet/node/node-status.js';
import { simulatedNodeLabel, type SimNodesOptions } from './options.js';

export const simKubeletVersion = 'v1.32.0';
/** The kubelet's default port, reported in status.daemonEndpoints. */
const kubeletPort = 10250;
/** Upstream's role label; kwok's nodes carry "agent". */
const roleLabel = 'node-role.kubernetes.io/agent';

export type NodeSpec = Pick<SimNodesOptions, 'cpu' | 'memory' | 'pods' | 'ephemeralStorage' | 'labels' | 'taints'>;

/** The node's InternalIP: the bridge address of its pod CIDR, so every node has its own. */
export function nodeAddress(podCidr: string): string {
  const [ip] = podCidr.split('/');
  const parts = (ip ?? '0.0.0.0').split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

/**
 * MemoryPressure, DiskPressure, PIDPressure False and Ready True, lastTransitionTime kept while a
 * status does not change: a healthy kubelet's conditions, the same the real agent reports.
 */
export const healthyConditions = nodeConditions;

/** The full status a kubelet reports: capacity, allocatable, conditions, addresses, nodeInfo. */
export function nodeStatus(name: string, podCidr: string, spec: NodeSpec, nowMs: number, previous: readonly NodeCondition[] = []): NonNullable<Node['status']> {
  const resources = { cpu: spec.cpu, memory: spec.memory, pods: spec.pods, 'ephemeral-storage': spec.ephemeralStorage };
  return {
    capacity: { ...resources },
    // Nothing reserved for system daemons: a simulated node has none.
    allocatable: { ...resources },
    conditions: healthyConditions(nowMs, previous),
    addresses: [
      { type: 'InternalIP', address: nodeAddress(podCidr) },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: '',
      osImage: '',
      containerRuntimeVersion: '',
      kubeletVersion: simKubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    phase: 'Running',
  };
}

export function nodeLabels(name: string, spec: NodeSpec): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/role': 'agent',
    [roleLabel]: '',
    type: 'kwok',
    [simulatedNodeLabel]: 'true',
    ...spec.labels,
  };
}

/** The Node as first registered, status included (the API keeps a Node's status on create). */
export function buildNode(name: string, podCidr: string, spec: NodeSpec, nowMs: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: nodeLabels(name, spec),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      podCIDR: podCidr,
      podCIDRs: [podCidr],
      ...(spec.taints.length > 0 ? { taints: spec.taints.map((t) => ({ ...t })) } : {}),
    },
    status: nodeStatus(name, podCidr, spec, nowMs),
  };
}
