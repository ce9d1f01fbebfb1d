// Upstream's endpoints controller (pkg/controller/endpoint/endpoints_controller.go): every Service
// with a selector gets an Endpoints object of the same name listing its pods, ready ones under
// addresses and the rest under notReadyAddresses, one subset per set of ports. Services without
// a selector (like default/kubernetes, kept by the API server) are left to whoever manages them.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isForbidden, isNotFound, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../common/events.js';
import { isPodReady } from '../common/pod-util.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { isNamespaceTerminating } from '../serviceaccount/controller.js';
import {
  findPort,
  headlessServiceLabel,
  isHeadless,
  lastChangeTriggerTimeAnnotation,
  podChangeMatters,
  podIp,
  selectorMatches,
  serviceSelector,
  servicesSelectingPod,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './pod-endpoints.js';
import { overCapacityAnnotation, repackSubsets, truncateSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from './subsets.js';
import { TriggerTimeTracker } from './trigger-time.js';

/** Endpoints the API server or a leader election keeps (upstream's LeaderElectionRecordAnnotationKey) are never cleaned up. */
const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointsObject extends KubeObject {
  subsets?: EndpointSubset[];
}

export interface EndpointsControllerOptions {
  services: InformerView;
  pods: InformerView;
  endpoints: InformerView;
  endpointsClient: Pick<ResourceClient, 'create' | 'update' | 'delete'>;
  recorder: EventRecorder;
}

export class EndpointsController {
  readonly queue = new WorkQueue<string>({ name: 'endpoint' });
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(private readonly options: EndpointsControllerOptions) {
    const enqueue = (object: KubeObject): void => {
      const meta = unwrapDeleted(object).metadata;
      if (meta?.name) this.queue.add(`${meta.namespace ?? ''}/${meta.name}`);
    };
    options.services.addEventHandler({ onAdd: enqueue, onUpdate: (_old, service) => enqueue(service), onDelete: enqueue });
    options.pods.addEventHandler({
      onAdd: (pod) => this.enqueuePodServices(pod as Pod),
      onUpdate: (oldPod, newPod) => {
        if (!podChangeMatters(oldPod as Pod, newPod as Pod)) return;
        // A pod whose labels changed may have left some Services and joined others: both sync.
        this.enqueuePodServices(oldPod as Pod);
        this.enqueuePodServices(newPod as Pod);
      },
      onDelete: (pod) => this.enqueuePodServices(unwrapDeleted(pod) as Pod),
    });
    // A deleted Endpoints of a live Service is recreated; of a gone Service, the delete is a no-op.
    options.endpoints.addEventHandler({ onDelete: enqueue });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.options.services, this.options.pods, this.options.endpoints]) if (!(await informer.waitForSync())) return;
    this.checkLeftoverEndpoints();
    await runWorkers(this.queue, workers, (key) => this.syncService(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  /**
   * Upstream's checkLeftoverEndpoints: Endpoints whose Service was deleted while the controller
   * was not running are synced once, which deletes them.
   */
  checkLeftoverEndpoints(): void {
    for (const endpoints of this.options.endpoints.cache.list()) {
      if (endpoints.metadata?.annotations?.[leaderAnnotation] !== undefined) continue;
      this.queue.add(`${endpoints.metadata?.namespace ?? ''}/${endpoints.metadata?.name ?? ''}`);
    }
  }

  async syncService(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const service = this.options.services.cache.get(key) as Service | undefined;
    if (!service) {
      // The Service is gone: so are its Endpoints.
      try {
        await this.options.endpointsClient.delete(namespace, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      this.triggerTimes.forget(key);
      return;
    }
    // ExternalName Services get no endpoints (upstream issue 105986); selector-less ones are someone else's.
    const selector = serviceSelector(service);
    if (service.spec?.type === 'ExternalName' || !selector) return;

    const pods = this.options.pods.cache.byIndex('namespace', namespace).map((pod) => pod as Pod).filter((pod) => selectorMatches(selector, pod.metadata?.labels));
    const triggerTime = this.triggerTimes.compute(key, service, pods);
    const subsets = desiredSubsets(service, pods);
    const truncated = truncateSubsets(subsets);

    const current = this.options.endpoints.cache.get(key) as EndpointsObject | undefined;
    const labels = endpointsLabels(service);
    if (current && isUpToDate(current, subsets, labels, truncated)) return;

    const desired: EndpointsObject = current
      ? structuredClone(current)
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    const metadata = desired.metadata!;
    metadata.labels = labels;
    const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
    // A sync without a trigger (a resync) must not leave a stale trigger time behind.
    if (triggerTime) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
    else delete annotations[lastChangeTriggerTimeAnnotation];
    if (truncated) annotations[overCapacityAnnotation] = 'truncated';
    else delete annotations[overCapacityAnnotation];
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
    if (subsets.length > 0) desired.subsets = subsets;
    else delete desired.subsets;

    try {
      if (current) await this.options.endpointsClient.update(namespace, desired);
      else await this.options.endpointsClient.create(namespace, desired);
    } catch (error) {
      // Creates keep failing in a terminating namespace: drop the item, as upstream.
      if (!current && isForbidden(error) && isNamespaceTerminating(error)) return;
      const message = (error as Error).message;
      if (current) this.options.recorder.event(desired, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${message}`);
      else this.options.recorder.event(desired, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${message}`);
      throw error;
    }
  }

  private enqueuePodServices(pod: Pod): void {
    for (const key of servicesSelectingPod(this.options.services.cache, pod)) this.queue.add(key);
  }
}

/** One subset per (pod, service port), then repacked: upstream's syncService loop. */
export function desiredSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = endpointAddress(pod, service);
    const ready = publishNotReady || isPodReady(pod);
    const add = (ports: EndpointSubset['ports']): void => {
      subsets.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
    };
    const servicePorts = service.spec?.ports ?? [];
    // A headless Service without ports still lists its pods' addresses.
    if (servicePorts.length === 0 && isHeadless(service)) {
      add([]);
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      add([endpointPort(servicePort.name, port, servicePort.protocol, servicePort.appProtocol)]);
    }
  }
  return repackSubsets(subsets);
}

function endpointAddress(pod: Pod, service: Service): EndpointAddress {
  const address: EndpointAddress = {
    ip: podIp(pod)!,
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, service)) address.hostname = pod.spec!.hostname!;
  return address;
}

/** The Service's labels, plus the headless label for headless Services. */
function endpointsLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  if (isHeadless(service)) labels[headlessServiceLabel] = '';
  else delete labels[headlessServiceLabel];
  return labels;
}

function isUpToDate(current: EndpointsObject, subsets: EndpointSubset[], labels: Record<string, string>, truncated: boolean): boolean {
  if (JSON.stringify(normalizeSubsets(current.subsets ?? [])) !== JSON.stringify(subsets)) return false;
  if (!sameMap(current.metadata?.labels ?? {}, labels)) return false;
  return (current.metadata?.annotations?.[overCapacityAnnotation] !== undefined) === truncated;
}

/** The stored subsets in the order and shape desiredSubsets produces (keys sorted as we write them). */
function normalizeSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  return repackSubsets(
    subsets.map((subset) => ({
      addresses: subset.addresses?.map(normalizeAddress),
      notReadyAddresses: subset.notReadyAddresses?.map(normalizeAddress),
      ports: subset.ports?.map((port) => endpointPort(port.name, port.port, port.protocol, port.appProtocol)),
    })),
  );
}

function endpointPort(name: string | undefined, port: number, protocol: string | undefined, appProtocol: string | undefined): EndpointPort {
  return { ...(name ? { name } : {}), port, protocol: protocol ?? 'TCP', ...(appProtocol ? { appProtocol } : {}) };
}

function normalizeAddress(address: EndpointAddress): EndpointAddress {
  const out: EndpointAddress = { ip: address.ip };
  if (address.targetRef) out.targetRef = { kind: address.targetRef.kind, namespace: address.targetRef.namespace ?? '', name: address.targetRef.name, uid: address.targetRef.uid ?? '' };
  if (address.nodeName) out.nodeName = address.nodeName;
  if (address.hostname) out.hostname = address.hostname;
  return out;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
