// One pod as an EndpointSlice endpoint, and the ports a pod serves for a Service (upstream's
// podToEndpoint and getEndpointPorts in pkg/controller/endpointslice/utils.go).
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../common/pod-util.js';
import { findPort, podIp, shouldSetHostname } from '../endpoint/pod-endpoints.js';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

export interface SlicePort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

/** Upstream's v1.LabelTopologyZone, copied onto endpoints from their node. */
export const zoneLabel = 'topology.kubernetes.io/zone';

export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp != null;
  // For compatibility with Endpoints, a terminating pod is never "ready" unless publishNotReadyAddresses.
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const endpoint: SliceEndpoint = {
    addresses: [podIp(pod)!],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (shouldSetHostname(pod, service)) endpoint.hostname = pod.spec!.hostname!;
  if (pod.spec?.nodeName) endpoint.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[zoneLabel];
  if (zone) endpoint.zone = zone;
  return endpoint;
}

/** The Service's ports as this pod serves them; ports a pod lacks (unknown named targetPort) are left out. */
export function endpointPorts(service: Service, pod: Pod): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    ports.push({ name: servicePort.name ?? '', protocol: servicePort.protocol ?? 'TCP', port, ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}) });
  }
  return ports;
}

/** Endpoints with the same ports share slices: the key of a port set, independent of order. */
export function portsKey(ports: readonly SlicePort[]): string {
  return JSON.stringify(ports.map((port) => [port.name, port.protocol, port.port, port.appProtocol ?? '']).sort());
}

/** Upstream's endpoint identity within a slice set: addresses, hostname and the pod it stands for. */
export function endpointKey(endpoint: SliceEndpoint): string {
  return JSON.stringify([endpoint.addresses, endpoint.hostname ?? '', endpoint.targetRef?.namespace ?? '', endpoint.targetRef?.name ?? '']);
}

/** Upstream's endpointsEqualBeyondHash: same conditions, zone, node and target. */
export function endpointsEqual(a: SliceEndpoint, b: SliceEndpoint): boolean {
  return (
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    (a.zone ?? '') === (b.zone ?? '') &&
    (a.nodeName ?? '') === (b.nodeName ?? '') &&
    (a.targetRef?.kind ?? '') === (b.targetRef?.kind ?? '') &&
    (a.targetRef?.uid ?? '') === (b.targetRef?.uid ?? '') &&
    endpointKey(a) === endpointKey(b)
  );
}
