// `k8ts controller-manager`: the controller manager alone, against any API server, as upstream's
// kube-controller-manager. Several may run; the Lease kube-system/kube-controller-manager picks one.
import { readFileSync } from 'node:fs';
import { loadKubeconfig, RestClient } from '../client/index.js';
import { allControllers } from '../controllers/all.js';
import type { ControllerDescriptor } from '../controllers/context.js';
import { ControllerManager } from '../controllers/manager.js';
import { UsageError, type Command } from './flags.js';
import { terminatedPodGcThresholdFlag, terminatedPodGcThresholdValue } from './pod-gc-flags.js';
import { nodeLifecycleControllerFlags, nodeLifecycleFlagValues } from './node-lifecycle-flags.js';
import { runUntilSignal } from './run-until-signal.js';
import { clusterSigningFlags, clusterSigningFlagValues } from './cluster-signing-flags.js';

/**
 * Upstream's --controllers: "*" enables all, "foo" enables foo, "-foo" disables foo. Unknown
 * names are an error, as upstream reports them.
 */
export function selectControllers(spec: string, known: readonly ControllerDescriptor[]): ControllerDescriptor[] {
  const items = spec.split(',').map((item) => item.trim()).filter(Boolean);
  const names = new Set(known.map((descriptor) => descriptor.name));
  for (const item of items) {
    const name = item.replace(/^-/, '');
    if (name !== '*' && !names.has(name)) throw new UsageError(`"${name}" is not in the list of known controllers`);
  }
  const all = items.includes('*');
  return known.filter((descriptor) => !items.includes(`-${descriptor.name}`) && (all || items.includes(descriptor.name)));
}

export const controllerManagerCommand: Command = {
  name: 'controller-manager',
  summary: 'Run the controller manager against an API server',
  usage: 'k8ts controller-manager --kubeconfig FILE [flags]',
  flags: [
    { name: 'kubeconfig', description: 'Kubeconfig file with the API server and credentials' },
    { name: 'root-ca-file', description: "CA bundle published in every namespace as kube-root-ca.crt", defaultText: "the kubeconfig's certificate authority" },
    { name: 'controllers', description: `Controllers to run: "*" for all, "foo" to enable, "-foo" to disable. Known: ${allControllers.map((c) => c.name).join(', ')}`, defaultText: '*' },
    terminatedPodGcThresholdFlag,
    ...nodeLifecycleControllerFlags,
    ...clusterSigningFlags,
  ],
  async run(values) {
    const kubeconfig = values.get('kubeconfig');
    if (typeof kubeconfig !== 'string') throw new UsageError('--kubeconfig is required');
    const config = loadKubeconfig(kubeconfig);
    const rootCaFile = values.get('root-ca-file');
    const rootCaPem = typeof rootCaFile === 'string' ? readFileSync(rootCaFile, 'utf8') : config.ca?.toString('utf8');
    if (!rootCaPem) throw new UsageError('--root-ca-file is required when the kubeconfig names no certificate authority');
    const controllersFlag = values.get('controllers');
    const controllers = selectControllers(typeof controllersFlag === 'string' ? controllersFlag : '*', allControllers);
    const client = new RestClient({ ...config, userAgent: 'kube-controller-manager' });
    const manager = new ControllerManager({ client, rootCaPem, controllers, terminatedPodGcThreshold: terminatedPodGcThresholdValue(values), nodeLifecycle: nodeLifecycleFlagValues(values).nodeLifecycle, clusterSigning: clusterSigningFlagValues(values) });
    manager.start();
    process.stdout.write(`k8ts controller-manager: running ${controllers.map((c) => c.name).join(', ')} once it holds the lease kube-system/kube-controller-manager\n`);
    await runUntilSignal('controller-manager', async () => {
      await manager.stop();
      client.close();
    });
    return 0;
  },
};
