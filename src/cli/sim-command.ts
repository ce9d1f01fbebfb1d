// `k8ts sim nodes`: a kwok-like agent in its own process, joined to any cluster by kubeconfig.
import { loadKubeconfig, RestClient } from '../client/index.js';
import { SimAgent, simClient } from '../sim/agent.js';
import { simNodeFlags, simOptionsFromFlags } from '../sim/flags.js';
import { UsageError, type Command } from './flags.js';
import { stopSignal } from './run-until-signal.js';

/** How often the agent prints its write rates. */
const statsIntervalMs = 60_000;

export const simCommand: Command = {
  name: 'sim',
  summary: 'Simulate nodes: "k8ts sim nodes" registers kwok-like Nodes and runs their pods',
  usage: 'k8ts sim nodes --kubeconfig FILE --count N [flags]',
  flags: [{ name: 'kubeconfig', description: 'kubeconfig of the cluster to join', defaultText: '$KUBECONFIG' }, { name: 'context', description: 'kubeconfig context to use' }, ...simNodeFlags],
  async run(values, args) {
    if (args[0] !== 'nodes' || args.length !== 1) throw new UsageError(args.length === 0 ? 'a subcommand is required: nodes' : `unknown subcommand "${args.join(' ')}" for "k8ts sim"`);
    let options;
    try {
      options = simOptionsFromFlags(values);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const kubeconfig = (values.get('kubeconfig') as string | undefined) ?? process.env.KUBECONFIG;
    if (!kubeconfig) throw new UsageError('--kubeconfig (or $KUBECONFIG) is required');
    const context = values.get('context') as string | undefined;
    const base = new RestClient(loadKubeconfig(kubeconfig, context ? { context } : {}));
    const client = simClient(base, options);
    base.close();
    const agent = new SimAgent(client, options);
    const stopped = stopSignal();
    await agent.start();
    process.stdout.write(`k8ts sim: ${agent.nodeCount} nodes ready (${options.namePrefix}0…${options.namePrefix}${options.count - 1})\n`);
    // One line a minute says whether heartbeats keep up: count / renew interval renewals a second are due.
    let last = agent.stats();
    const reporter = setInterval(() => {
      const now = agent.stats();
      const perSec = (a: number, b: number): string => ((a - b) / (statsIntervalMs / 1000)).toFixed(1);
      process.stdout.write(`k8ts sim: per second: ${perSec(now.leaseRenewals, last.leaseRenewals)} lease renewals, ${perSec(now.statusReports, last.statusReports)} status reports, ${perSec(now.podStatusWrites, last.podStatusWrites)} pod status writes; ${now.heartbeatFailures - last.heartbeatFailures} failed heartbeats\n`);
      last = now;
    }, statsIntervalMs);
    reporter.unref();
    const reason = await stopped;
    clearInterval(reporter);
    process.stdout.write(`k8ts sim: ${reason}, stopping${options.deleteOnExit ? ' and deleting the nodes' : ' (the nodes stay registered)'}\n`);
    await agent.stop();
    client.close();
    return 0;
  },
};
