// `k8ts scheduler`: kube-scheduler as its own process, talking to any API server through a
// kubeconfig. With --scheduler-name it runs one profile of that name (a second scheduler next to
// the default one), leading through its own Lease unless --leader-elect-resource-name says otherwise.
import { loadKubeconfig, RestClient } from '../client/index.js';
import { loadSchedulerConfiguration } from '../scheduler/config/index.js';
import { defaultProfile, DEFAULT_SCHEDULER_NAME } from '../scheduler/registry.js';
import { SchedulerRunner, schedulerLease } from '../scheduler/runtime/run.js';
import { UsageError, type Command } from './flags.js';
import { runUntilSignal } from './run-until-signal.js';

/** Upstream's kube-scheduler defaults are 50/100; bindings, status writes and events need more at scale. */
const schedulerQps = 1_000;
const schedulerBurst = 2_000;

export const schedulerCommand: Command = {
  name: 'scheduler',
  summary: 'Run kube-scheduler against an API server',
  usage: 'k8ts scheduler --kubeconfig FILE [flags]',
  flags: [
    { name: 'kubeconfig', description: 'Path to a kubeconfig file with the API server and credentials' },
    { name: 'scheduler-name', description: 'The schedulerName of the one profile to run (pods naming it are scheduled)', defaultText: DEFAULT_SCHEDULER_NAME },
    { name: 'config', description: 'Path to a KubeSchedulerConfiguration file' },
    { name: 'leader-elect', description: 'Take part in leader election before scheduling (several schedulers, one active)', defaultText: 'true', boolean: true },
    { name: 'leader-elect-resource-namespace', description: 'Namespace of the Lease used for leader election', defaultText: schedulerLease.namespace },
    { name: 'leader-elect-resource-name', description: 'Name of the Lease used for leader election', defaultText: 'kube-scheduler (the --scheduler-name when given)' },
  ],
  async run(values) {
    const schedulerName = values.get('scheduler-name');
    const configPath = values.get('config');
    if (typeof schedulerName === 'string' && typeof configPath === 'string') throw new UsageError('--scheduler-name and --config cannot be used together: name the profiles in the configuration');
    // Upstream's "couldn't load config" errors: the message names the file and what is wrong in it.
    const configuration = typeof configPath === 'string' ? loadSchedulerConfiguration(configPath) : undefined;
    const kubeconfig = values.get('kubeconfig') ?? (configuration?.clientConnection.kubeconfig || undefined);
    if (typeof kubeconfig !== 'string' || kubeconfig === '') throw new UsageError('--kubeconfig is required (or clientConnection.kubeconfig in --config)');
    const restConfig = loadKubeconfig(kubeconfig);
    const client = new RestClient({ ...restConfig, qps: schedulerQps, burst: schedulerBurst, userAgent: 'kube-scheduler' });
    const name = typeof schedulerName === 'string' ? schedulerName : DEFAULT_SCHEDULER_NAME;
    const leaseName = values.get('leader-elect-resource-name');
    const leaseNamespace = values.get('leader-elect-resource-namespace');
    const leaderElect = values.get('leader-elect');
    const runner = new SchedulerRunner({
      client,
      profiles: [defaultProfile(name)],
      configuration,
      leaderElect: typeof leaderElect === 'boolean' ? leaderElect : undefined,
      leaseNamespace: typeof leaseNamespace === 'string' ? leaseNamespace : undefined,
      // A second scheduler by flag must not contend with the default one for its Lease.
      leaseName: typeof leaseName === 'string' ? leaseName : configuration || name === DEFAULT_SCHEDULER_NAME ? undefined : name,
    });
    runner.start();
    process.stdout.write(`k8ts scheduler: started (profiles: ${runner.scheduler.profileNames.join(', ')})\n`);
    await runUntilSignal('scheduler', () => runner.stop());
    client.close();
    return 0;
  },
};

