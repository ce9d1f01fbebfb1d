// One informer per resource (and namespace/selector) per component, shared by all its controllers,
// so each resource is listed and watched once (client-go's SharedInformerFactory).
import type { KubeObject } from '../api/object.js';
import { SharedInformer, type InformerOptions } from './informer.js';
import type { ResourceRef, RestClient } from './rest.js';

export interface InformerFactoryOptions {
  /** Resync period for informers that do not ask for their own; 0 turns resync off. */
  defaultResyncPeriodMs?: number;
  /** Restrict every informer to one namespace. */
  namespace?: string;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private started = false;

  constructor(private readonly client: RestClient, private readonly options: InformerFactoryOptions = {}) {}

  /** The shared informer for a resource; created on first use, started by start() (or at once if the factory already runs). */
  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, options: Omit<InformerOptions, 'namespace'> = {}): SharedInformer<T> {
    const key = [ref.group, ref.version, ref.resource, this.options.namespace ?? '', options.labelSelector ?? '', options.fieldSelector ?? '', options.dropManagedFields ? 'trimmed' : ''].join('|');
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new SharedInformer<KubeObject>(this.client.resource(ref), {
        resyncPeriodMs: this.options.defaultResyncPeriodMs ?? 0,
        ...options,
        namespace: this.options.namespace,
      });
      this.informers.set(key, informer);
      if (this.started) informer.run();
    }
    return informer as unknown as SharedInformer<T>;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.run();
  }

  /** True once every informer created so far has synced; false on timeout or shutdown. */
  async waitForCacheSync(timeoutMs?: number): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((informer) => informer.waitForSync(timeoutMs)));
    return results.every(Boolean);
  }

  shutdown(): void {
    for (const informer of this.informers.values()) informer.stop();
  }
}
