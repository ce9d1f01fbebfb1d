// Service defaults: upstream's SetDefaults_Service plus the IP-family fields that upstream's
// service REST storage fills in before validation (k8ts runs a single-stack cluster).
import {
  childObject,
  ensureObject,
  isNil,
  listSize,
  mapSize,
  objectItems,
  setIfNil,
  setIfZero,
  type JsonObject,
} from './fields.js';

/** The one IP family k8ts allocates service IPs from. */
export const CLUSTER_IP_FAMILY = 'IPv4';
/** sessionAffinityConfig.clientIP.timeoutSeconds default: three hours. */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function isExternallyAccessible(spec: JsonObject): boolean {
  const type = spec['type'];
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && listSize(spec['externalIPs']) > 0)
  );
}

export function setServiceDefaults(service: JsonObject): void {
  const spec = ensureObject(service, 'spec');
  setIfZero(spec, 'sessionAffinity', 'None');
  if (spec['sessionAffinity'] === 'None') delete spec['sessionAffinityConfig'];
  if (spec['sessionAffinity'] === 'ClientIP') {
    const clientIP = childObject(childObject(spec, 'sessionAffinityConfig') ?? {}, 'clientIP');
    if (!clientIP || isNil(clientIP['timeoutSeconds'])) {
      spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  setIfZero(spec, 'type', 'ClusterIP');

  for (const port of objectItems(spec, 'ports')) {
    setIfZero(port, 'protocol', 'TCP');
    // An unset targetPort (int 0 or string "") means "same as port".
    const targetUnset = isNil(port['targetPort']) || port['targetPort'] === 0 || port['targetPort'] === '';
    if (targetUnset && typeof port['port'] === 'number') {
      port['targetPort'] = port['port'];
    }
  }

  if (isExternallyAccessible(spec)) setIfZero(spec, 'externalTrafficPolicy', 'Cluster');
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec['type'] as string)) {
    setIfNil(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec['type'] === 'LoadBalancer') {
    setIfNil(spec, 'allocateLoadBalancerNodePorts', true);
    // LoadBalancerIPMode (on by default): ingress points with an IP get ipMode VIP.
    const loadBalancer = childObject(childObject(service, 'status') ?? {}, 'loadBalancer');
    for (const ingress of objectItems(loadBalancer, 'ingress')) {
      if (typeof ingress['ip'] === 'string' && ingress['ip'] !== '') setIfNil(ingress, 'ipMode', 'VIP');
    }
  }

  setIPFamilyDefaults(spec);
}

/**
 * ipFamilyPolicy / ipFamilies as upstream's allocator initialises them. Headless services
 * without a selector default to RequireDualStack (they carry no IPs, so any family works);
 * everything else is SingleStack in the family of its cluster IP.
 */
function setIPFamilyDefaults(spec: JsonObject): void {
  if (spec['type'] === 'ExternalName') return;
  const headlessWithoutSelector = spec['clusterIP'] === 'None' && mapSize(spec['selector']) === 0;
  setIfNil(spec, 'ipFamilyPolicy', headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
  if (listSize(spec['ipFamilies']) > 0) return;
  const firstIP = firstClusterIP(spec);
  const family = firstIP !== undefined && firstIP.includes(':') ? 'IPv6' : CLUSTER_IP_FAMILY;
  spec['ipFamilies'] = [family];
}

function firstClusterIP(spec: JsonObject): string | undefined {
  const ips = spec['clusterIPs'];
  const candidate = Array.isArray(ips) && typeof ips[0] === 'string' ? ips[0] : spec['clusterIP'];
  return typeof candidate === 'string' && candidate !== '' && candidate !== 'None' ? candidate : undefined;
}

/** clusterIP and clusterIPs[0] always agree once stored; fill whichever the user left out. */
export function normalizeClusterIPs(spec: JsonObject): void {
  const clusterIP = spec['clusterIP'];
  const clusterIPs = spec['clusterIPs'];
  const hasList = Array.isArray(clusterIPs) && clusterIPs.length > 0;
  if (!hasList && typeof clusterIP === 'string' && clusterIP !== '') spec['clusterIPs'] = [clusterIP];
  if ((isNil(clusterIP) || clusterIP === '') && hasList) spec['clusterIP'] = clusterIPs[0];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Upstream's dropTypeDependentFields: when a Service changes type, fields that only make
 * sense for the old type are cleared, but only if the update left them untouched (a value
 * the user changed in the same request is kept so validation can report it).
 */
export function dropTypeDependentFields(spec: JsonObject, oldSpec: JsonObject): void {
  const type = spec['type'];
  const oldType = oldSpec['type'];
  if (type === oldType) return;
  const untouched = (key: string): boolean => sameJson(spec[key], oldSpec[key]);
  const clear = (key: string): void => {
    if (untouched(key)) delete spec[key];
  };

  if (type === 'ExternalName') {
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) clear(key);
  }
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    const ports = objectItems(spec, 'ports');
    const oldPorts = objectItems(oldSpec, 'ports');
    const nodePortsUntouched = sameJson(
      ports.map((p) => p['nodePort'] ?? null),
      oldPorts.map((p) => p['nodePort'] ?? null),
    );
    if (nodePortsUntouched) for (const port of ports) delete port['nodePort'];
  }
  if (type !== 'LoadBalancer') {
    clear('healthCheckNodePort');
    clear('allocateLoadBalancerNodePorts');
    clear('loadBalancerClass');
  }
  if (!isExternallyAccessible(spec)) clear('externalTrafficPolicy');
  if (type === 'ExternalName') clear('internalTrafficPolicy');
}
