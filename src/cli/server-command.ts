// `k8ts server`: flags as the issue and upstream name them, then run until SIGTERM/SIGINT.
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { parseDurationMs } from '../storage/compactor.js';
import { defaultDatastore } from '../storage/open.js';
import { runServer, type ServerConfig } from '../server/run-server.js';
import { gcFlags, gcPolicyFromFlags } from '../kubelet/gc/flags.js';
import { evictionFlags, evictionFlagValues } from '../kubelet/eviction/index.js';
import { UsageError, type Command } from './flags.js';
import { nodeLifecycleFlags, nodeLifecycleFlagValues } from './node-lifecycle-flags.js';
import { terminatedPodGcThresholdFlag, terminatedPodGcThresholdValue } from './pod-gc-flags.js';
import { defaultSimNodesOptions, type SimNodesOptions } from '../sim/options.js';
import { runUntilSignal } from './run-until-signal.js';

/** `--sim-nodes N`: N nodes with the simulator's defaults (sim-node-0 …), or none. */
function simNodesFromFlag(text: string): SimNodesOptions | undefined {
  if (!/^\d+$/.test(text)) throw new UsageError(`invalid argument "${text}" for "--sim-nodes" flag: must be a number of nodes`);
  const count = Number(text);
  return count > 0 ? { ...defaultSimNodesOptions, count } : undefined;
}

function portFlag(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid argument "${value}" for "--${name}" flag: must be a port number`);
  return port;
}

function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/k8ts' : join(homedir(), '.k8ts');
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'Run the control plane: datastore, API server, scheduler, controller manager and a local agent',
  usage: 'k8ts server [flags]',
  flags: [
    { name: 'data-dir', description: 'Directory for state, certificates and the admin kubeconfig', defaultText: '/var/lib/k8ts as root, ~/.k8ts otherwise' },
    { name: 'bind-address', description: 'Address the API server listens on', defaultText: '0.0.0.0' },
    { name: 'secure-port', description: 'HTTPS port of the API server (0 picks a free port)', defaultText: '6443' },
    { name: 'datastore', description: 'Datastore: sqlite://<path> or etcd://host:port[,host:port]', defaultText: 'sqlite://<data-dir>/state.db' },
    { name: 'etcd-cafile', description: 'CA file to verify etcd servers with (etcd:// datastores over TLS)' },
    { name: 'etcd-certfile', description: 'Client certificate for etcd' },
    { name: 'etcd-keyfile', description: 'Client key for etcd' },
    { name: 'service-cluster-ip-range', description: 'CIDR from which Service cluster IPs are allocated', defaultText: '10.96.0.0/12' },
    { name: 'compaction-window', description: 'How much datastore history to keep for watches to resume from', defaultText: '5m' },
    { name: 'compaction-min-revisions', description: 'Revisions always kept, however old', defaultText: '1000' },
    { name: 'disable-agent', description: 'Do not run the local node agent', boolean: true },
    { name: 'pod-cidr', description: "The local agent's pod CIDR (kept from its Node if that already has one)", defaultText: '10.244.0.0/24' },
    { name: 'kubelet-port', description: "The local agent's kubelet server port, which the API server calls for logs and exec (0 picks a free port)", defaultText: '10250' },
    { name: 'disable-scheduler', description: 'Do not run the scheduler', boolean: true },
    { name: 'disable-controller-manager', description: 'Do not run the controller manager', boolean: true },
    { name: 'scheduler-config', description: 'KubeSchedulerConfiguration file for the scheduler (profiles, backoff, leader election)' },
    { name: 'scheduler-thread', description: "Run the scheduler in a thread of its own rather than on the API server's", defaultText: 'true with 2 or more CPUs', boolean: true },
    { name: 'sim-nodes', description: 'Also run N simulated (kwok-like) nodes in this process; see src/sim/README.md', defaultText: '0' },
    ...nodeLifecycleFlags,
    terminatedPodGcThresholdFlag,
    ...gcFlags,
    ...evictionFlags,
  ],
  async run(values) {
    const text = (name: string, fallback: string): string => {
      const value = values.get(name);
      return typeof value === 'string' ? value : fallback;
    };
    const dataDir = text('data-dir', defaultDataDir());
    const port = Number(text('secure-port', '6443'));
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid argument "${text('secure-port', '')}" for "--secure-port" flag: must be a port number`);
    const config: ServerConfig = {
      dataDir,
      bindAddress: text('bind-address', '0.0.0.0'),
      securePort: port,
      datastore: text('datastore', defaultDatastore(dataDir)),
      serviceClusterIpRange: text('service-cluster-ip-range', '10.96.0.0/12'),
      etcdCaFile: values.get('etcd-cafile') as string | undefined,
      etcdCertFile: values.get('etcd-certfile') as string | undefined,
      etcdKeyFile: values.get('etcd-keyfile') as string | undefined,
      compactionWindowMs: parseDurationMs(text('compaction-window', '5m')),
      compactionMinRevisions: Number(text('compaction-min-revisions', '1000')),
      disableAgent: values.get('disable-agent') === true,
      podCidr: values.get('pod-cidr') as string | undefined,
      kubeletPort: portFlag(text('kubelet-port', '10250'), 'kubelet-port'),
      kubeletGc: gcPolicyFromFlags(values),
      kubeletEviction: evictionFlagValues(values),
      disableScheduler: values.get('disable-scheduler') === true,
      disableControllerManager: values.get('disable-controller-manager') === true,
      schedulerConfig: values.get('scheduler-config') as string | undefined,
      // A thread pays for itself only where it gets a core of its own.
      schedulerThread: typeof values.get('scheduler-thread') === 'boolean' ? values.get('scheduler-thread') === true : availableParallelism() >= 2,
      simNodes: simNodesFromFlag(text('sim-nodes', '0')),
      ...nodeLifecycleFlagValues(values),
      terminatedPodGcThreshold: terminatedPodGcThresholdValue(values),
    };
    const running = await runServer(config);
    process.stdout.write(`k8ts server ready in ${Math.round(running.readyAfterMs)} ms, listening on port ${running.port}\n`);
    process.stdout.write(`kubeconfig: ${running.kubeconfigPath}\n`);
    process.stdout.write(`try: kubectl --kubeconfig ${running.kubeconfigPath} get namespaces\n`);
    await runUntilSignal('server', () => running.stop());
    return 0;
  },
};
