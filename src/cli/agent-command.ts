// `k8ts agent`: the node agent alone, against any API server, as upstream's kubelet.
import { resolve } from 'node:path';
import { loadKubeconfig, RestClient } from '../client/index.js';
import { gcFlags, gcPolicyFromFlags } from '../kubelet/gc/flags.js';
import { evictionFlags, evictionFlagValues } from '../kubelet/eviction/index.js';
import { defaultDataDir, Kubelet } from '../kubelet/kubelet.js';
import { agentUnavailableReason, defaultNodeName } from '../kubelet/run-agent.js';
import type { OciRuntimeName } from '../runtime/driver/oci-runtime.js';
import { primaryAddress } from '../server/run-server.js';
import { UsageError, type Command } from './flags.js';
import { runUntilSignal } from './run-until-signal.js';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'Run the node agent: register this node and run the pods bound to it',
  usage: 'k8ts agent --kubeconfig FILE [flags]',
  flags: [
    { name: 'kubeconfig', description: 'Kubeconfig file with the API server and credentials' },
    { name: 'node-name', description: 'Name of the Node to register', defaultText: 'the hostname' },
    { name: 'data-dir', description: 'Directory for the runtime, pod directories and logs', defaultText: defaultDataDir },
    { name: 'runtime', description: 'OCI runtime: runc or crun', defaultText: 'crun if installed, else runc' },
    { name: 'pod-cidr', description: "The node's pod CIDR (kept from the Node if it already has one)", defaultText: '10.244.0.0/24' },
    { name: 'node-ip', description: "The node's InternalIP", defaultText: 'the first non-loopback IPv4 address' },
    { name: 'kubelet-port', description: 'The kubelet server port the API server calls for logs, exec and port-forward (0 picks a free port)', defaultText: '10250' },
    ...gcFlags,
    ...evictionFlags,
  ],
  async run(values) {
    const kubeconfig = values.get('kubeconfig');
    if (typeof kubeconfig !== 'string') throw new UsageError('--kubeconfig is required');
    const runtime = values.get('runtime');
    if (runtime !== undefined && runtime !== 'runc' && runtime !== 'crun') throw new UsageError(`invalid argument "${String(runtime)}" for "--runtime" flag: must be runc or crun`);
    const unavailable = agentUnavailableReason(runtime as OciRuntimeName | undefined);
    if (unavailable) throw new Error(unavailable);
    const text = (name: string): string | undefined => {
      const value = values.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const gc = gcPolicyFromFlags(values);
    const eviction = evictionFlagValues(values);
    const client = new RestClient({ ...loadKubeconfig(kubeconfig), userAgent: 'kubelet' });
    const dataDir = text('data-dir') ?? defaultDataDir;
    const kubeletPortText = text('kubelet-port');
    const kubeletPort = kubeletPortText === undefined ? undefined : Number(kubeletPortText);
    if (kubeletPort !== undefined && (!Number.isInteger(kubeletPort) || kubeletPort < 0 || kubeletPort > 65535)) throw new UsageError(`invalid argument "${kubeletPortText}" for "--kubelet-port" flag: must be a port number`);
    const agent = new Kubelet({
      client,
      nodeName: text('node-name') ?? defaultNodeName(),
      dataDir: resolve(dataDir),
      hostIP: text('node-ip') ?? primaryAddress(),
      runtime: runtime as OciRuntimeName | undefined,
      podCidr: text('pod-cidr'),
      kubeletPort,
      gc,
      eviction,
    });
    await agent.start();
    await runUntilSignal('agent', async () => {
      await agent.stop();
      client.close();
    });
    return 0;
  },
};
