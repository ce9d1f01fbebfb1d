// k8ts's kube-controller-manager: the controllers share one SharedInformerFactory and run only
// while this process holds the kube-system/kube-controller-manager Lease.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaderElector, SharedInformerFactory, type RestClient } from '../client/index.js';
import { NamespaceController, restNamespaceApi } from './namespace/controller.js';
import { restContentApi } from './namespace/content.js';
import { configMapResource, RootCaPublisher, rootCaConfigMapFieldSelector } from './root-ca/publisher.js';
import { serviceAccountResource, ServiceAccountsController } from './serviceaccount/controller.js';

export const controllerManagerLease = { namespace: 'kube-system', name: 'kube-controller-manager' } as const;
const namespaceResource = { group: '', version: 'v1', resource: 'namespaces', namespaced: false } as const;
/** Upstream resyncs the namespace controller's informer every 5 minutes, so a missed wake-up is redone. */
const namespaceResyncPeriodMs = 5 * 60_000;

export interface ControllerManagerOptions {
  client: RestClient;
  /** PEM of the cluster CA, published in every namespace as kube-root-ca.crt. */
  rootCaPem: string;
  identity?: string;
  namespaceDeletionGracePeriodMs?: number;
}

interface RunnableController {
  run(workers: number): Promise<void>;
  shutDown(): void;
}

export class ControllerManager {
  private readonly factory: SharedInformerFactory;
  private readonly elector: LeaderElector;
  private readonly controllers: { controller: RunnableController; workers: number }[];
  private running: Promise<unknown> | undefined;

  constructor(options: ControllerManagerOptions) {
    const { client } = options;
    this.factory = new SharedInformerFactory(client);
    const namespaces = this.factory.forResource(namespaceResource, { resyncPeriodMs: namespaceResyncPeriodMs });
    const serviceAccounts = this.factory.forResource(serviceAccountResource);
    const rootCaConfigMaps = this.factory.forResource(configMapResource, { fieldSelector: rootCaConfigMapFieldSelector });
    this.controllers = [
      {
        controller: new NamespaceController({
          namespaces,
          namespaceApi: restNamespaceApi(client),
          contentApi: restContentApi(client),
          deletionGracePeriodMs: options.namespaceDeletionGracePeriodMs,
        }),
        workers: 10,
      },
      { controller: new ServiceAccountsController({ namespaces, serviceAccounts, serviceAccountClient: client.resource(serviceAccountResource) }), workers: 1 },
      { controller: new RootCaPublisher({ namespaces, configMaps: rootCaConfigMaps, configMapClient: client.resource(configMapResource), rootCaPem: options.rootCaPem }), workers: 1 },
    ];
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
