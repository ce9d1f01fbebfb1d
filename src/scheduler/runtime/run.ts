// A whole kube-scheduler on one RestClient: informers (started at once, so the cache is warm
// when leadership arrives), the Scheduler, and leader election on the kube-system Lease; only
// the leader pops pods. A leader that loses the Lease stops scheduling and campaigns again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { LeaderElector, SharedInformerFactory, type RestClient } from '../../client/index.js';
import { buildFrameworks, leaderElectionTimingsMs, type KubeSchedulerConfiguration } from '../config/index.js';
import { Framework, type Profile, type Registry } from '../framework/framework.js';
import { SchedulerCache } from '../cache/cache.js';
import * as defaultBinder from '../plugins/default-binder.js';
import { defaultProfile, inTreeRegistry } from '../registry.js';
import { restSchedulerApi, type SchedulerApi } from './api.js';
import { informerClusterObjects } from './cluster-objects.js';
import {
  connectInformers, createSchedulerInformers, namespaceLabelsMap, podPriorityResolver, snapshotObjects, type SchedulerInformers,
} from './informers.js';
import { Scheduler } from './scheduler.js';

export const schedulerLease = { namespace: 'kube-system', name: 'kube-scheduler' } as const;
/** How long a new leader waits for the informers' first lists before scheduling anyway. */
const cacheSyncTimeoutMs = 60_000;

export interface SchedulerRunnerOptions {
  client: RestClient;
  /** Profiles to run; upstream's default profile ("default-scheduler") when absent. */
  profiles?: Profile[];
  /**
   * A parsed KubeSchedulerConfiguration: its profiles (overriding `profiles`), queue backoff and
   * leader election; the options below still override its leader election.
   */
  configuration?: KubeSchedulerConfiguration;
  /** false: schedule at once, without a Lease (upstream's --leader-elect=false). */
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/** A registry whose DefaultBinder POSTs pods/binding through `api`. */
export function registryWithBinder(registry: Registry, api: SchedulerApi): Registry {
  const withBinder = new Map(registry);
  withBinder.set(defaultBinder.NAME, () => defaultBinder.newDefaultBinder({ bind: (pod: Pod, nodeName: string) => api.bind(pod, nodeName) }));
  return withBinder;
}

export class SchedulerRunner {
  readonly scheduler: Scheduler;
  readonly informers: SchedulerInformers;
  private readonly factory: SharedInformerFactory;
  private readonly identity: string;
  private elector: LeaderElector | undefined;
  private campaigning: Promise<void> | undefined;
  private scheduling: Promise<void> | undefined;
  private stopped = false;
  private standalone: AbortController | undefined;

  constructor(private readonly options: SchedulerRunnerOptions) {
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    const api = restSchedulerApi(options.client, { reportingInstance: this.identity });
    this.factory = new SharedInformerFactory(options.client);
    this.informers = createSchedulerInformers(this.factory);
    const registry = registryWithBinder(inTreeRegistry, api);
    const clusterObjects = informerClusterObjects(options.client, this.informers);
    const config = options.configuration;
    const frameworks = config
      ? [...buildFrameworks(config, clusterObjects, { registry }).values()]
      : (options.profiles ?? [defaultProfile()]).map((profile) => Framework.create(registry, profile, { clusterObjects }));
    const cache = new SchedulerCache({ objects: snapshotObjects(this.informers), namespaceLabels: namespaceLabelsMap(this.informers) });
    const pods = this.informers.pods;
    const normalize = podPriorityResolver(this.informers);
    this.scheduler = new Scheduler({
      frameworks,
      api,
      cache,
      podInitialBackoffMs: config && config.podInitialBackoffSeconds * 1000,
      podMaxBackoffMs: config && config.podMaxBackoffSeconds * 1000,
      currentPod: (namespace, name) => {
        const pod = pods.cache.get(`${namespace}/${name}`) as Pod | undefined;
        return pod && normalize(pod);
      },
    });
    connectInformers(this.scheduler, this.informers, normalize);
  }

  /** Starts the informers and campaigns (or schedules at once without leader election). */
  start(): void {
    this.factory.start();
    if ((this.options.leaderElect ?? this.options.configuration?.leaderElection.leaderElect) === false) {
      this.standalone = new AbortController();
      this.scheduling = this.schedule(this.standalone.signal);
      return;
    }
    this.campaigning = this.campaign();
  }

  isLeader(): boolean {
    return this.standalone !== undefined || (this.elector?.isLeader() ?? false);
  }

  private async campaign(): Promise<void> {
    while (!this.stopped) {
      const fromConfig = this.options.configuration?.leaderElection;
      const timings = this.options.configuration ? leaderElectionTimingsMs(this.options.configuration) : undefined;
      this.elector = new LeaderElector({
        client: this.options.client,
        namespace: this.options.leaseNamespace ?? (fromConfig?.resourceNamespace || schedulerLease.namespace),
        name: this.options.leaseName ?? (fromConfig?.resourceName || schedulerLease.name),
        identity: this.identity,
        leaseDurationMs: this.options.leaseDurationMs ?? timings?.leaseDurationMs,
        renewDeadlineMs: this.options.renewDeadlineMs ?? timings?.renewDeadlineMs,
        retryPeriodMs: this.options.retryPeriodMs ?? timings?.retryPeriodMs,
        onStartedLeading: (signal) => {
          this.scheduling = this.schedule(signal);
        },
      });
      await this.elector.run();
      await this.scheduling;
    }
  }

  private async schedule(signal: AbortSignal): Promise<void> {
    await this.factory.waitForCacheSync(cacheSyncTimeoutMs);
    if (signal.aborted) return;
    await this.scheduler.run(signal);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.standalone?.abort();
    await this.elector?.stop();
    await this.campaigning;
    await this.scheduling;
    this.factory.shutdown();
  }
}
