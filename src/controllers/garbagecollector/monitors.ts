// One informer per deletable resource, feeding the graph builder (upstream's monitors in
// graph_builder.go). Each keeps only what the graph needs of an object — a few hundred bytes
// instead of whole pods — because the collector watches every resource in the cluster.
import type { KubeObject } from '../../api/object.js';
import { SharedInformer, type ListerWatcher, type ResourceClient } from '../../client/index.js';
import type { EventStream, WatchEvent } from '../../client/index.js';
import { unwrapDeleted } from '../informer-view.js';
import { groupResourceKey, type DiscoveredResource } from './discovery.js';
import type { GraphBuilder, MetaObject } from './graph-builder.js';

/** What the graph keeps of an object. */
export function toMetaObject(object: KubeObject, apiVersion: string, kind: string): MetaObject {
  const meta = object.metadata ?? {};
  const metadata: NonNullable<KubeObject['metadata']> = { name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion };
  if (meta.namespace) metadata.namespace = meta.namespace;
  if (meta.ownerReferences?.length) metadata.ownerReferences = meta.ownerReferences;
  if (meta.deletionTimestamp) metadata.deletionTimestamp = meta.deletionTimestamp;
  if (meta.finalizers?.length) metadata.finalizers = meta.finalizers;
  return { apiVersion, kind, metadata };
}

/** A lister-watcher that hands the informer metadata-only objects. */
export function metadataListerWatcher(client: ResourceClient, kind: string): ListerWatcher<MetaObject> {
  const apiVersion = client.apiVersion;
  return {
    async list(ns, options) {
      const page = await client.list(ns, options);
      return { ...page, items: page.items.map((item) => toMetaObject(item, apiVersion, kind)) };
    },
    async watch(ns, options) {
      const stream = await client.watch(ns, options);
      const events: EventStream<MetaObject> = {
        stop: () => stream.stop(),
        async *[Symbol.asyncIterator]() {
          for await (const event of stream) {
            if (event.type === 'ERROR') yield event;
            else yield { type: event.type, object: toMetaObject(event.object, apiVersion, kind) } as WatchEvent<MetaObject>;
          }
        },
      };
      return events;
    },
  };
}

export interface Monitor {
  run(): void;
  stop(): void;
  hasSynced(): boolean;
  addEventHandler: SharedInformer<MetaObject>['addEventHandler'];
}

export type MonitorFactory = (resource: DiscoveredResource) => Monitor;

export function restMonitorFactory(resourceClient: (resource: DiscoveredResource) => ResourceClient): MonitorFactory {
  return (resource) => new SharedInformer<MetaObject>(metadataListerWatcher(resourceClient(resource), resource.kind));
}

export class Monitors {
  private readonly monitors = new Map<string, { monitor: Monitor; group: string }>();
  private running = false;

  /** onChange sees every event's object too (the controller watches for new API kinds through it). */
  constructor(private readonly builder: GraphBuilder, private readonly factory: MonitorFactory, private readonly onChange: (object: MetaObject) => void = () => undefined) {}

  /**
   * Starts monitors for new resources and stops those whose resource is no longer served, except
   * in groups whose discovery just failed; true when something changed.
   */
  sync(resources: readonly DiscoveredResource[], failedGroups: ReadonlySet<string> = new Set()): boolean {
    const wanted = new Map(resources.map((resource) => [groupResourceKey(resource), resource]));
    let changed = false;
    for (const [key, { monitor, group }] of this.monitors) {
      if (wanted.has(key) || failedGroups.has(group)) continue;
      monitor.stop();
      this.monitors.delete(key);
      changed = true;
    }
    for (const [key, resource] of wanted) {
      if (this.monitors.has(key)) continue;
      const monitor = this.factory(resource);
      monitor.addEventHandler({
        onAdd: (object) => {
          this.builder.enqueue({ type: 'add', object });
          this.onChange(object);
        },
        onUpdate: (oldObject, object) => {
          if (oldObject.metadata?.resourceVersion === object.metadata?.resourceVersion) return;
          this.builder.enqueue({ type: 'update', object, oldObject });
          this.onChange(object);
        },
        onDelete: (deleted) => {
          const object = unwrapDeleted(deleted);
          this.builder.enqueue({ type: 'delete', object });
          this.onChange(object);
        },
      });
      this.monitors.set(key, { monitor, group: resource.group });
      if (this.running) monitor.run();
      changed = true;
    }
    return changed;
  }

  start(): void {
    this.running = true;
    for (const { monitor } of this.monitors.values()) monitor.run();
  }

  stop(): void {
    this.running = false;
    for (const { monitor } of this.monitors.values()) monitor.stop();
    this.monitors.clear();
  }

  hasSynced(): boolean {
    return [...this.monitors.values()].every(({ monitor }) => monitor.hasSynced());
  }

  get size(): number {
    return this.monitors.size;
  }
}
