// Upstream's EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): Endpoints
// of a Service without a selector are mirrored into EndpointSlices managed by
// endpointslicemirroring-controller.k8s.io. Endpoints labelled endpointslice.kubernetes.io/skip-mirror
// (like default/kubernetes, whose slice the API server writes itself) or holding a leader-election
// record are not mirrored; neither are those whose Service is gone or has a selector.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../common/events.js';
import { serviceSelector } from '../endpoint/pod-endpoints.js';
import { managedByLabel, serviceNameLabel, type EndpointSliceObject } from '../endpointslice/reconciler.js';
import { StaleInformerCacheError } from '../endpointslice/controller.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import { defaultMaxEndpointsPerSubset, mirroringControllerName, reconcileMirror, type EndpointsObject } from './reconciler.js';
import { SliceTracker } from '../endpointslice/slice-tracker.js';

export const skipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';
const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointSliceMirroringControllerOptions {
  services: InformerView;
  endpoints: InformerView;
  endpointSlices: InformerView;
  sliceClient: Pick<ResourceClient, 'create' | 'update' | 'delete'>;
  recorder: EventRecorder;
  maxEndpointsPerSubset?: number;
}

export function shouldMirror(endpoints: KubeObject | undefined): boolean {
  return endpoints !== undefined && endpoints.metadata?.labels?.[skipMirrorLabel] !== 'true' && endpoints.metadata?.annotations?.[leaderAnnotation] === undefined;
}

/** As the endpoints controllers judge it: an empty selector is no selector (nil on the wire upstream). */
const hasSelector = (service: KubeObject): boolean => serviceSelector(service as Service) !== undefined;

export class EndpointSliceMirroringController {
  readonly queue = new WorkQueue<string>({ name: 'endpoint_slice_mirroring' });
  /** Endpoints key → slice name → the resourceVersion we wrote, or 'deleted'. */
  private readonly tracker: SliceTracker;

  constructor(private readonly options: EndpointSliceMirroringControllerOptions) {
    this.tracker = new SliceTracker(options.endpointSlices.cache);
    const enqueue = (object: KubeObject): void => {
      const meta = unwrapDeleted(object).metadata;
      if (meta?.name) this.queue.add(`${meta.namespace ?? ''}/${meta.name}`);
    };
    options.services.addEventHandler({
      onAdd: (service) => !hasSelector(service) && enqueue(service),
      onUpdate: (old, service) => hasSelector(old) !== hasSelector(service) && enqueue(service),
      onDelete: (object) => {
        const service = unwrapDeleted(object);
        if (!hasSelector(service)) enqueue(service);
      },
    });
    options.endpoints.addEventHandler({
      onAdd: (endpoints) => shouldMirror(endpoints) && enqueue(endpoints),
      onUpdate: (old, endpoints) => (shouldMirror(old) || shouldMirror(endpoints)) && enqueue(endpoints),
      onDelete: (object) => {
        const endpoints = unwrapDeleted(object);
        if (shouldMirror(endpoints)) enqueue(endpoints);
      },
    });
    const enqueueForSlice = (object: KubeObject): void => {
      const slice = unwrapDeleted(object);
      const name = slice.metadata?.labels?.[serviceNameLabel];
      if (slice.metadata?.labels?.[managedByLabel] === mirroringControllerName && name) this.queue.add(`${slice.metadata?.namespace ?? ''}/${name}`);
    };
    options.endpointSlices.addEventHandler({
      onAdd: enqueueForSlice,
      onUpdate: (old, slice) => {
        enqueueForSlice(old);
        enqueueForSlice(slice);
      },
      onDelete: (object) => {
        const slice = unwrapDeleted(object);
        const name = slice.metadata?.labels?.[serviceNameLabel];
        if (name) this.tracker.forgetSlice(`${slice.metadata?.namespace ?? ''}/${name}`, slice.metadata?.name ?? '');
        enqueueForSlice(slice);
      },
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.services, this.options.endpoints, this.options.endpointSlices]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncEndpoints(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async syncEndpoints(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const endpoints = this.options.endpoints.cache.get(key) as EndpointsObject | undefined;
    const service = this.options.services.cache.get(key);
    const mirrored = this.mirroredSlices(namespace, name);
    if (!endpoints || !shouldMirror(endpoints) || !service || hasSelector(service)) {
      // Nothing (any more) to mirror: remove what was.
      for (const slice of mirrored) await this.deleteSlice(key, slice);
      this.tracker.forgetService(key);
      return;
    }
    if (this.tracker.isStale(key)) throw new StaleInformerCacheError();
    const { plan, invalidAddresses, skippedAddresses } = reconcileMirror(endpoints, mirrored, this.options.maxEndpointsPerSubset ?? defaultMaxEndpointsPerSubset);
    if (invalidAddresses > 0) this.options.recorder.event(endpoints, 'Warning', 'InvalidIPAddress', `Skipped ${invalidAddresses} invalid IP addresses when mirroring to EndpointSlices`);
    if (skippedAddresses > invalidAddresses) {
      this.options.recorder.event(endpoints, 'Warning', 'TooManyAddressesToMirror', `A max of ${this.options.maxEndpointsPerSubset ?? defaultMaxEndpointsPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skippedAddresses} addresses were skipped`);
    }
    // No new slices for Endpoints being deleted.
    if (!endpoints.metadata?.deletionTimestamp) {
      for (const slice of plan.create) {
        try {
          const created = await this.options.sliceClient.create(namespace, slice);
          this.tracker.expect(key, created, Number(created.metadata?.resourceVersion ?? 0));
        } catch (error) {
          if (isNamespaceTerminating(error)) return;
          throw new Error(`failed to create EndpointSlice for Endpoints ${namespace}/${name}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
    for (const slice of plan.update) {
      const updated = await this.options.sliceClient.update(namespace, slice).catch((error: unknown) => {
        throw new Error(`failed to update ${slice.metadata?.name ?? ''} EndpointSlice for Endpoints ${namespace}/${name}: ${(error as Error).message}`, { cause: error });
      });
      this.tracker.expect(key, updated, Number(updated.metadata?.resourceVersion ?? 0));
    }
    for (const slice of plan.delete) await this.deleteSlice(key, slice);
  }

  private mirroredSlices(namespace: string, name: string): EndpointSliceObject[] {
    return this.options.endpointSlices.cache
      .byIndex('namespace', namespace)
      .filter((slice) => slice.metadata?.labels?.[serviceNameLabel] === name && slice.metadata?.labels?.[managedByLabel] === mirroringControllerName) as EndpointSliceObject[];
  }

  private async deleteSlice(key: string, slice: EndpointSliceObject): Promise<void> {
    try {
      await this.options.sliceClient.delete(slice.metadata?.namespace, slice.metadata?.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.tracker.expect(key, slice, 'deleted');
  }


}
