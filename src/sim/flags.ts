// Flags shared by `k8ts sim nodes` and (with a --sim- prefix where they would clash) `k8ts server`.
import { parseDurationMs } from '../storage/compactor.js';
import { checkQuantity, defaultSimNodesOptions, parseLabels, parseTaints, type SimNodesOptions } from './options.js';

export interface SimFlagSpec {
  name: string;
  description: string;
  defaultText?: string;
  boolean?: boolean;
}

const d = defaultSimNodesOptions;

export const simNodeFlags: readonly SimFlagSpec[] = [
  { name: 'count', description: 'Number of simulated nodes', defaultText: String(d.count) },
  { name: 'name-prefix', description: 'Node names are <prefix>0 … <prefix>N-1', defaultText: d.namePrefix },
  { name: 'cpu', description: 'CPU capacity and allocatable of each node', defaultText: d.cpu },
  { name: 'memory', description: 'Memory capacity and allocatable of each node', defaultText: d.memory },
  { name: 'pods', description: 'Pod capacity of each node', defaultText: d.pods },
  { name: 'ephemeral-storage', description: 'Ephemeral storage capacity of each node', defaultText: d.ephemeralStorage },
  { name: 'labels', description: 'Extra node labels, k=v,k2=v2' },
  { name: 'taints', description: 'Node taints, k=v:NoSchedule,k2:NoExecute' },
  { name: 'cluster-cidr', description: 'Pod CIDRs of the nodes are carved from this', defaultText: '10.244.0.0/16, or 10.128.0.0/9 beyond 256 nodes' },
  { name: 'node-cidr-mask-size', description: 'Prefix length of each node\'s pod CIDR', defaultText: String(d.nodeCidrMaskSize) },
  { name: 'node-lease-renew-interval', description: 'How often each node renews its Lease', defaultText: '10s' },
  { name: 'node-lease-duration', description: 'leaseDurationSeconds written into each Lease', defaultText: `${d.leaseDurationSeconds}s` },
  { name: 'node-status-report-interval', description: 'How often each node re-reports its status', defaultText: '1m' },
  { name: 'heartbeat-concurrency', description: 'Lease and status writes in flight at once', defaultText: String(d.heartbeatConcurrency) },
  { name: 'pod-workers', description: 'Pod status writes in flight at once', defaultText: String(d.podWorkers) },
  { name: 'kube-api-qps', description: 'Client-side rate limit of the agent (requests per second)', defaultText: String(d.qps) },
  { name: 'run-pods', description: 'Run the pods bound to the nodes (Running status, deletions); --run-pods=false leaves them Pending as bound, like scheduler_perf\'s nodes', defaultText: 'true', boolean: true },
  { name: 'delete-on-exit', description: 'Delete the nodes (and their leases) on SIGINT/SIGTERM', boolean: true },
];

function positiveInteger(flag: string, text: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min) throw new Error(`invalid argument "${text}" for "--${flag}" flag: must be an integer ≥ ${min}`);
  return value;
}

function duration(flag: string, text: string): number {
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch {
    throw new Error(`invalid argument "${text}" for "--${flag}" flag: a duration such as 10s or 1m is needed`);
  }
  if (ms <= 0) throw new Error(`invalid argument "${text}" for "--${flag}" flag: must be positive`);
  return ms;
}

/** Options from parsed flag values; `name` maps a flag to how the command spells it. */
export function simOptionsFromFlags(values: Map<string, string | boolean>, name: (flag: string) => string = (flag) => flag): SimNodesOptions {
  const text = (flag: string): string | undefined => {
    const value = values.get(name(flag));
    return typeof value === 'string' ? value : undefined;
  };
  const options: SimNodesOptions = { ...defaultSimNodesOptions, labels: {}, taints: [] };
  const set = <T>(flag: string, parse: (text: string) => T, apply: (value: T) => void): void => {
    const value = text(flag);
    if (value !== undefined) apply(parse(value));
  };
  set('count', (t) => positiveInteger(name('count'), t, 0), (v) => (options.count = v));
  set('name-prefix', (t) => t, (v) => (options.namePrefix = v));
  set('cpu', (t) => checkQuantity(name('cpu'), t), (v) => (options.cpu = v));
  set('memory', (t) => checkQuantity(name('memory'), t), (v) => (options.memory = v));
  set('pods', (t) => checkQuantity(name('pods'), t), (v) => (options.pods = v));
  set('ephemeral-storage', (t) => checkQuantity(name('ephemeral-storage'), t), (v) => (options.ephemeralStorage = v));
  set('labels', parseLabels, (v) => (options.labels = v));
  set('taints', parseTaints, (v) => (options.taints = v));
  set('cluster-cidr', (t) => t, (v) => (options.clusterCidr = v));
  set('node-cidr-mask-size', (t) => positiveInteger(name('node-cidr-mask-size'), t, 8), (v) => (options.nodeCidrMaskSize = v));
  set('node-lease-renew-interval', (t) => duration(name('node-lease-renew-interval'), t), (v) => (options.leaseRenewIntervalMs = v));
  set('node-lease-duration', (t) => duration(name('node-lease-duration'), t), (v) => (options.leaseDurationSeconds = Math.ceil(v / 1000)));
  set('node-status-report-interval', (t) => duration(name('node-status-report-interval'), t), (v) => (options.statusReportIntervalMs = v));
  set('heartbeat-concurrency', (t) => positiveInteger(name('heartbeat-concurrency'), t), (v) => (options.heartbeatConcurrency = v));
  set('pod-workers', (t) => positiveInteger(name('pod-workers'), t), (v) => (options.podWorkers = v));
  set('kube-api-qps', (t) => positiveInteger(name('kube-api-qps'), t), (v) => (options.qps = v));
  // A boolean flag is true when given bare, false only as --run-pods=false; absent keeps the default.
  const runPods = values.get(name('run-pods'));
  if (typeof runPods === 'boolean') options.runPods = runPods;
  options.deleteOnExit = values.get(name('delete-on-exit')) === true;
  if (!/^[a-z0-9]([-a-z0-9.]*)?$/.test(options.namePrefix)) throw new Error(`invalid argument "${options.namePrefix}" for "--${name('name-prefix')}" flag: node names must be lowercase RFC 1123 subdomains`);
  return options;
}
