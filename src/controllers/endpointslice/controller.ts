// Upstream's EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go):
// every Service with a selector gets EndpointSlices "<service>-<random>" owned by it, listing its
// pods with ready/serving/terminating conditions, at most maxEndpointsPerSlice each. Selector-less
// Services (like default/kubernetes, kept by the API server) are left alone.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../common/events.js';
import { lastChangeTriggerTimeAnnotation, podChangeMatters, selectorMatches, serviceSelector, servicesSelectingPod, shouldPodBeInEndpoints } from '../endpoint/pod-endpoints.js';
import { TriggerTimeTracker } from '../endpoint/trigger-time.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { endpointKey, endpointPorts, podToEndpoint, portsKey, type SliceEndpoint } from './endpoint.js';
import { controllerName, defaultMaxEndpointsPerSlice, managedByLabel, reconcile, serviceNameLabel, type DesiredGroup, type EndpointSliceObject } from './reconciler.js';
import { SliceTracker } from './slice-tracker.js';

export interface EndpointSliceControllerOptions {
  services: InformerView;
  pods: InformerView;
  nodes: InformerView;
  endpointSlices: InformerView;
  sliceClient: Pick<ResourceClient, 'create' | 'update' | 'delete'>;
  recorder: EventRecorder;
  maxEndpointsPerSlice?: number;
}

/** Thrown when the slice cache has not yet seen this controller's own writes (upstream's StaleInformerCache). */
export class StaleInformerCacheError extends Error {
  constructor() {
    super('EndpointSlice informer cache is out of date');
    this.name = 'StaleInformerCacheError';
  }
}

export class EndpointSliceController {
  readonly queue = new WorkQueue<string>({ name: 'endpoint_slice' });
  private readonly triggerTimes = new TriggerTimeTracker();
  /** Service key → slice name → the resourceVersion we wrote, or 'deleted' (upstream's EndpointSliceTracker). */
  private readonly tracker: SliceTracker;
  private readonly max: number;

  constructor(private readonly options: EndpointSliceControllerOptions) {
    this.tracker = new SliceTracker(options.endpointSlices.cache);
    this.max = options.maxEndpointsPerSlice ?? defaultMaxEndpointsPerSlice;
    const enqueue = (object: KubeObject): void => {
      const meta = unwrapDeleted(object).metadata;
      if (meta?.name) this.queue.add(`${meta.namespace ?? ''}/${meta.name}`);
    };
    options.services.addEventHandler({ onAdd: enqueue, onUpdate: (_old, service) => enqueue(service), onDelete: enqueue });
    options.pods.addEventHandler({
      onAdd: (pod) => this.enqueuePodServices(pod as Pod),
      onUpdate: (oldPod, newPod) => {
        if (!podChangeMatters(oldPod as Pod, newPod as Pod)) return;
        this.enqueuePodServices(oldPod as Pod);
        this.enqueuePodServices(newPod as Pod);
      },
      onDelete: (pod) => this.enqueuePodServices(unwrapDeleted(pod) as Pod),
    });
    const enqueueSliceService = (object: KubeObject): void => {
      const slice = unwrapDeleted(object);
      const labels = slice.metadata?.labels;
      const service = labels?.[serviceNameLabel];
      if (labels?.[managedByLabel] === controllerName && service) this.queue.add(`${slice.metadata?.namespace ?? ''}/${service}`);
    };
    options.endpointSlices.addEventHandler({
      onAdd: enqueueSliceService,
      onUpdate: (_old, slice) => enqueueSliceService(slice),
      onDelete: (object) => {
        const slice = unwrapDeleted(object);
        const service = slice.metadata?.labels?.[serviceNameLabel];
        // Gone, whoever deleted it: nothing more to wait for.
        if (service) this.tracker.forgetSlice(`${slice.metadata?.namespace ?? ''}/${service}`, slice.metadata?.name ?? '');
        enqueueSliceService(slice);
      },
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.services, this.options.pods, this.options.nodes, this.options.endpointSlices]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncService(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async syncService(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const service = this.options.services.cache.get(key) as Service | undefined;
    const existing = this.managedSlices(namespace, name);
    if (!service) {
      // Upstream leaves this to the garbage collector through the owner reference; removing them
      // here reaches the same end without depending on it.
      for (const slice of existing) await this.deleteSlice(key, slice);
      this.triggerTimes.forget(key);
      this.tracker.forgetService(key);
      return;
    }
    const selector = serviceSelector(service);
    if (service.spec?.type === 'ExternalName' || !selector) return;
    if (this.tracker.isStale(key)) throw new StaleInformerCacheError();

    const pods = this.options.pods.cache.byIndex('namespace', namespace).map((pod) => pod as Pod).filter((pod) => selectorMatches(selector, pod.metadata?.labels));
    const { groups, skipped } = this.desiredGroups(service, pods);
    const triggerTime = this.triggerTimes.compute(key, service, pods);
    const plan = reconcile(service, groups, existing.filter((slice) => !slice.metadata?.deletionTimestamp), this.max);
    // No new slices for a Service being deleted: they would race the garbage collector.
    if (service.metadata?.deletionTimestamp) plan.create = [];
    try {
      for (const slice of plan.create) {
        setTriggerTime(slice, triggerTime);
        let created: KubeObject;
        try {
          created = await this.options.sliceClient.create(namespace, slice);
        } catch (error) {
          // Creates keep failing in a terminating namespace: drop the item, as upstream.
          if (isNamespaceTerminating(error)) return;
          throw wrap(error, `failed to create EndpointSlice for Service ${namespace}/${name}`);
        }
        this.tracker.expect(key, created, Number(created.metadata?.resourceVersion ?? 0));
      }
      for (const slice of plan.update) {
        setTriggerTime(slice, triggerTime);
        const updated = await this.options.sliceClient.update(namespace, slice).catch((error: unknown) => {
          throw wrap(error, `failed to update ${slice.metadata?.name ?? ''} EndpointSlice for Service ${namespace}/${name}`);
        });
        this.tracker.expect(key, updated, Number(updated.metadata?.resourceVersion ?? 0));
      }
      for (const slice of plan.delete) {
        await this.deleteSlice(key, slice).catch((error: unknown) => {
          throw wrap(error, `failed to delete ${slice.metadata?.name ?? ''} EndpointSlice for Service ${namespace}/${name}`);
        });
      }
    } catch (error) {
      this.options.recorder.event(service as KubeObject, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${(error as Error).message}`);
      throw error;
    }
    // Pods on nodes the cache does not know were left out; try again once the node shows up.
    if (skipped.length > 0) throw new Error(`skipping Pods ${skipped.join(', ')} for Service ${namespace}/${name}: Node not found`);
  }

  private desiredGroups(service: Service, pods: readonly Pod[]): { groups: DesiredGroup[]; skipped: string[] } {
    const groups = new Map<string, DesiredGroup>();
    const skipped: string[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const node = this.options.nodes.cache.get(pod.spec?.nodeName ?? '') as Node | undefined;
      // As upstream: a pod whose node is missing is left out (the pod GC will remove it), unless
      // the user asked for every address to be published.
      if (!node && service.spec?.publishNotReadyAddresses !== true) {
        skipped.push(pod.metadata?.name ?? '');
        continue;
      }
      const ports = endpointPorts(service, pod);
      const key = portsKey(ports);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { ports, endpoints: [] }));
      group.endpoints.push(podToEndpoint(pod, node, service));
    }
    // Deterministic placement: new endpoints go into slices in address order.
    for (const group of groups.values()) group.endpoints.sort(compareEndpoints);
    return { groups: [...groups.values()], skipped };
  }

  private managedSlices(namespace: string, serviceName: string): EndpointSliceObject[] {
    return this.options.endpointSlices.cache
      .byIndex('namespace', namespace)
      .filter((slice) => slice.metadata?.labels?.[serviceNameLabel] === serviceName && slice.metadata?.labels?.[managedByLabel] === controllerName) as EndpointSliceObject[];
  }

  private async deleteSlice(serviceKey: string, slice: EndpointSliceObject): Promise<void> {
    try {
      await this.options.sliceClient.delete(slice.metadata?.namespace, slice.metadata?.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.tracker.expect(serviceKey, slice, 'deleted');
  }



  private enqueuePodServices(pod: Pod): void {
    for (const key of servicesSelectingPod(this.options.services.cache, pod)) this.queue.add(key);
  }
}

function wrap(error: unknown, context: string): Error {
  return new Error(`${context}: ${(error as Error).message}`, { cause: error });
}

function setTriggerTime(slice: EndpointSliceObject, triggerTime: string | undefined): void {
  const annotations: Record<string, string> = { ...(slice.metadata?.annotations ?? {}) };
  if (triggerTime) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
  else delete annotations[lastChangeTriggerTimeAnnotation];
  slice.metadata ??= {};
  if (Object.keys(annotations).length > 0) slice.metadata.annotations = annotations;
  else delete slice.metadata.annotations;
}

function compareEndpoints(a: SliceEndpoint, b: SliceEndpoint): number {
  const ka = endpointKey(a);
  const kb = endpointKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
