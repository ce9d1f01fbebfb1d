// What a simulated node looks like and how often it reports, with kwok's and the kubelet's
// defaults; parsed from `k8ts sim nodes` flags or `k8ts server --sim-nodes`.
import { parseQuantity } from '../api/units/quantity.js';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface SimNodesOptions {
  count: number;
  namePrefix: string;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Pod CIDRs of the nodes are /nodeCidrMaskSize blocks of this; chosen by node count when absent. */
  clusterCidr?: string;
  nodeCidrMaskSize: number;
  /** Lease renewal, as the kubelet's nodeLeaseRenewInterval (10 s) and nodeLeaseDurationSeconds (40). */
  leaseRenewIntervalMs: number;
  leaseDurationSeconds: number;
  /** Full node status is re-reported this often even when nothing changed (kubelet: 5 min; the issue asks for ≤ 1 min). */
  statusReportIntervalMs: number;
  /** Lease and status writes in flight at once, so thousands of nodes never flood the API server. */
  heartbeatConcurrency: number;
  /** Pod status writes in flight at once. */
  podWorkers: number;
  /** Client-side rate limit of the agent's API client; heartbeats alone need count / renew interval. */
  qps: number;
  /**
   * Play the kubelet for pods bound to the nodes (Running status, deletions). False leaves them as
   * the scheduler left them (Pending with spec.nodeName), as scheduler_perf's kubelet-less nodes do.
   */
  runPods: boolean;
  deleteOnExit: boolean;
}

export const simulatedNodeLabel = 'node.k8ts.io/simulated';

export const defaultSimNodesOptions: SimNodesOptions = {
  count: 1,
  namePrefix: 'sim-node-',
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  ephemeralStorage: '100Gi',
  labels: {},
  taints: [],
  nodeCidrMaskSize: 24,
  leaseRenewIntervalMs: 10_000,
  leaseDurationSeconds: 40,
  statusReportIntervalMs: 60_000,
  heartbeatConcurrency: 32,
  podWorkers: 16,
  qps: 1_000,
  runPods: true,
  deleteOnExit: false,
};

/** Upstream's qualified-name shape for label keys, loosely: optional DNS prefix, then a name. */
const labelKeyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const taintEffects: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** "k=v,k2=v2" (kubelet's --node-labels shape). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (!labelKeyPattern.test(key) || key.length > 316) throw new Error(`invalid label key ${JSON.stringify(key)} in ${JSON.stringify(text)}`);
    if (!labelValuePattern.test(value) || value.length > 63) throw new Error(`invalid label value ${JSON.stringify(value)} for ${key}`);
    labels[key] = value;
  }
  return labels;
}

/** "k=v:NoSchedule,k2:NoExecute" (kubelet's --register-with-taints shape). */
export function parseTaints(text: string): Taint[] {
  const taints: Taint[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const colon = item.lastIndexOf(':');
    if (colon < 0) throw new Error(`invalid taint spec: ${item}: an effect is required (key[=value]:Effect)`);
    const effect = item.slice(colon + 1) as TaintEffect;
    if (!taintEffects.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const keyValue = item.slice(0, colon);
    const eq = keyValue.indexOf('=');
    const key = eq < 0 ? keyValue : keyValue.slice(0, eq);
    if (!labelKeyPattern.test(key)) throw new Error(`invalid taint key ${JSON.stringify(key)}`);
    taints.push(eq < 0 ? { key, effect } : { key, value: keyValue.slice(eq + 1), effect });
  }
  return taints;
}

/** Throws with the flag's name when a resource amount is not a Kubernetes quantity. */
export function checkQuantity(flag: string, text: string): string {
  try {
    parseQuantity(text);
  } catch (error) {
    throw new Error(`invalid argument "${text}" for "--${flag}" flag: ${(error as Error).message}`);
  }
  return text;
}

/** The node names, in order: <prefix>0 … <prefix>(count-1), as kwok's generated nodes. */
export function nodeNames(options: Pick<SimNodesOptions, 'count' | 'namePrefix'>): string[] {
  return Array.from({ length: options.count }, (_, i) => `${options.namePrefix}${i}`);
}
