// k8ts's kube-controller-manager: the controllers of all.ts share one SharedInformerFactory and
// run only while this process holds the kube-system/kube-controller-manager Lease.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaderElector, SharedInformerFactory, type RestClient } from '../client/index.js';
import { allControllers } from './all.js';
import { realClock, type Clock } from './common/clock.js';
import { restEventRecorder } from './common/events.js';
import type { ClusterSigningSettings, ControllerContext, ControllerDescriptor, NodeLifecycleSettings, RunnableController } from './context.js';

export const controllerManagerLease = { namespace: 'kube-system', name: 'kube-controller-manager' } as const;

export interface ControllerManagerOptions {
  client: RestClient;
  /** PEM of the cluster CA, published in every namespace as kube-root-ca.crt. */
  rootCaPem: string;
  identity?: string;
  namespaceDeletionGracePeriodMs?: number;
  /** Upstream's --terminated-pod-gc-threshold. */
  terminatedPodGcThreshold?: number;
  nodeLifecycle?: NodeLifecycleSettings;
  /** The CA that csrsigning signs with. */
  clusterSigning?: ClusterSigningSettings;
  /** Which controllers to run (upstream's --controllers); all of all.ts by default. */
  controllers?: readonly ControllerDescriptor[];
  clock?: Clock;
}

export class ControllerManager {
  private readonly factory: SharedInformerFactory;
  private readonly elector: LeaderElector;
  private readonly controllers: { controller: RunnableController; workers: number }[];
  private running: Promise<unknown> | undefined;

  constructor(options: ControllerManagerOptions) {
    const { client } = options;
    this.factory = new SharedInformerFactory(client);
    const context: ControllerContext = {
      client,
      informers: this.factory,
      clock: options.clock ?? realClock,
      recorder: (component) => restEventRecorder(client, component),
      rootCaPem: options.rootCaPem,
      namespaceDeletionGracePeriodMs: options.namespaceDeletionGracePeriodMs,
      terminatedPodGcThreshold: options.terminatedPodGcThreshold,
      nodeLifecycle: options.nodeLifecycle,
      clusterSigning: options.clusterSigning,
    };
    // Controllers create their informers in their constructors, before the factory starts.
    this.controllers = (options.controllers ?? allControllers).map((descriptor) => ({ controller: descriptor.create(context), workers: descriptor.workers }));
    this.elector = new LeaderElector({
      client,
      ...controllerManagerLease,
      identity: options.identity ?? `${hostname()}_${randomUUID()}`,
      onStartedLeading: () => {
        this.factory.start();
        this.running = Promise.all(this.controllers.map(({ controller, workers }) => controller.run(workers)));
      },
      // Like upstream, a controller manager that lost its lease stops its controllers rather than race the new leader.
      onStoppedLeading: () => this.shutDownControllers(),
    });
  }

  /** Campaigns for the lease in the background; controllers start once it is held. */
  start(): void {
    void this.elector.run();
  }

  isLeader(): boolean {
    return this.elector.isLeader();
  }

  async stop(): Promise<void> {
    this.shutDownControllers();
    await this.elector.stop();
    await this.running;
  }

  private shutDownControllers(): void {
    for (const { controller } of this.controllers) controller.shutDown();
    this.factory.shutdown();
  }
}
