// What every part of the agent shares: its node, its runtime, its client and its clock.
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { restEventRecorder, type EventRecorder, type EventType, type ResourceRef, type RestClient } from '../client/index.js';
import type { Clock } from '../controllers/common/clock.js';
import type { Runtime } from '../runtime/runtime.js';

export const podsResource: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
export const nodesResource: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
export const leasesResource: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };
export const configMapsResource: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
export const secretsResource: ResourceRef = { group: '', version: 'v1', resource: 'secrets', namespaced: true };
export const nodeLeaseNamespace = 'kube-node-lease';
/** The component name on the agent's events, as upstream's. */
export const eventComponent = 'kubelet';

/** Labels the agent puts on sandboxes and containers, so a restarted agent knows whose they are. */
export const labels = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
} as const;

/** The Services the agent knows from its informer (upstream's service lister). */
export interface ServiceSource {
  synced(): boolean;
  inNamespace(namespace: string): Service[];
  get(namespace: string, name: string): Service | undefined;
}

export interface KubeletContext {
  nodeName: string;
  hostIP: string;
  dataDir: string;
  runtime: Runtime;
  runtimeName: 'runc' | 'crun';
  client: RestClient;
  clock: Clock;
  nodeAllocatable(): Record<string, string>;
  /** Services for the pods' environment; without it (unit tests) they are read from the API per container. */
  services?: ServiceSource;
  log(message: string): void;
}

/** One recorder per agent (per context), so repeated events of a pod become one Event with a count. */
const recorders = new WeakMap<KubeletContext, EventRecorder>();

/** Best effort, like upstream's recorder: a failed event never fails a sync. */
export function recordEvent(context: KubeletContext, pod: Pod, type: EventType, reason: string, message: string, fieldPath?: string): void {
  let recorder = recorders.get(context);
  if (!recorder) {
    recorder = restEventRecorder(context.client, eventComponent);
    recorders.set(context, recorder);
  }
  recorder.event({ apiVersion: 'v1', kind: 'Pod', ...pod } as KubeObject, type, reason, message, { host: context.nodeName, reportingInstance: context.nodeName, fieldPath });
}
