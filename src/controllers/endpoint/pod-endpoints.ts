// What the endpoints and endpoint slice controllers share about turning a Service's pods into
// endpoints (upstream's pkg/controller/util/endpoint and endpointslice util): which pods count,
// which services select a pod, the port a service port lands on, and the DNS hostname.
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ReadonlyStore } from '../../client/index.js';
import { isPodTerminal } from '../common/pod-util.js';

/** Upstream's service.kubernetes.io/headless label, put on Endpoints and slices of headless Services. */
export const headlessServiceLabel = 'service.kubernetes.io/headless';
/** Upstream's v1.EndpointsLastChangeTriggerTime annotation. */
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

/** A selector that selects pods: upstream skips Services whose selector is nil (absent on the wire). */
export function serviceSelector(service: Service): Record<string, string> | undefined {
  const selector = service.spec?.selector;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels?.[key] !== value) return false;
  return true;
}

/** Upstream's ShouldPodBeInEndpoints: has an IP, is not finished, and (unless included) not terminating. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!podIp(pod)) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** The pod's IPv4 address (k8ts Services are single-stack IPv4). */
export function podIp(pod: Pod): string | undefined {
  const ips = pod.status?.podIPs?.map((entry) => entry.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  return ips.find((ip) => ip?.includes('.'));
}

/** Upstream's ShouldSetHostname: the pod asked for this Service as its subdomain. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

/**
 * Upstream's podutil.FindPort: a numeric targetPort is used as is; a named one is looked up in
 * the pod's container ports with the service port's protocol. undefined when the pod has no such port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  // A targetPort string that is all digits is the number (IntOrString parsed leniently).
  return /^\d+$/.test(target) ? Number(target) : undefined;
}

/** Keys of the Services in the pod's namespace whose selector matches the pod (upstream's GetPodServiceMemberships). */
export function servicesSelectingPod(services: ReadonlyStore<KubeObject>, pod: Pod): string[] {
  const namespace = pod.metadata?.namespace ?? '';
  const keys: string[] = [];
  for (const object of services.byIndex('namespace', namespace)) {
    const service = object as Service;
    const selector = serviceSelector(service);
    if (selector && selectorMatches(selector, pod.metadata?.labels)) keys.push(`${namespace}/${service.metadata?.name ?? ''}`);
  }
  return keys;
}

/**
 * Whether a pod update can change any Service's endpoints (upstream's podEndpointsChanged plus
 * the label check of GetServicesToUpdateOnPodChange).
 */
export function podChangeMatters(oldPod: Pod, newPod: Pod): boolean {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return false;
  return (
    JSON.stringify(oldPod.metadata?.labels ?? {}) !== JSON.stringify(newPod.metadata?.labels ?? {}) ||
    endpointRelevantState(oldPod) !== endpointRelevantState(newPod)
  );
}

function endpointRelevantState(pod: Pod): string {
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  return JSON.stringify([
    pod.status?.podIP,
    pod.status?.podIPs,
    pod.status?.phase,
    ready?.status,
    ready?.lastTransitionTime,
    pod.metadata?.deletionTimestamp,
    pod.spec?.nodeName,
    pod.spec?.hostname,
    pod.spec?.subdomain,
    pod.spec?.containers?.map((container) => container.ports),
  ]);
}

/** A Service is headless when its cluster IP is None (upstream's !IsServiceIPSet). */
export function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None';
}
