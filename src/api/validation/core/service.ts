// Service: ports, types, cluster IPs / IP families, session affinity, traffic policies.
import type { Service, ServiceSpec } from 'kubernetes-types/core/v1.js';
import { type FieldError, duplicate, forbidden, invalid, notSupported, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabels } from '../meta.js';
import { ipFamilyOf, isDNS1123Subdomain, isValidCIDR, isValidIP, isValidPortName, isValidPortNum } from '../names.js';
import { asArray, validateDNS1123Label, validateIP, validateNonSpecialIP, validatePortNumOrName, validateQualifiedName } from './common.js';
import { PORT_PROTOCOLS } from './containers.js';

const spec = rootPath('spec');
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/**
 * Upstream's strategy mirrors clusterIP into clusterIPs before validating; doing the same here
 * keeps manifests that only set `clusterIP: None` valid whatever the registry did.
 */
function clusterIPsOf(s: ServiceSpec): string[] {
  const ips = asArray(s.clusterIPs);
  if (ips.length === 0 && s.clusterIP) return [s.clusterIP];
  return ips;
}

const isHeadless = (s: ServiceSpec): boolean => {
  const ips = clusterIPsOf(s);
  return ips.length === 1 && ips[0] === 'None';
};
const externallyAccessible = (s: ServiceSpec): boolean =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || (s.type === 'ClusterIP' && asArray(s.externalIPs).length > 0);

export function validateService(obj: KubeObject): FieldError[] {
  const svc = obj as Service;
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ips = clusterIPsOf(s);
  const headless = isHeadless(s);
  const ports = asArray(s.ports);

  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(required(spec.child('ports')));
  if (s.type === 'LoadBalancer' && headless) errs.push(invalid(spec.child('clusterIPs').index(0), ips[0], "may not be set to 'None' for LoadBalancer services"));
  if (s.type === 'NodePort' && headless) errs.push(invalid(spec.child('clusterIPs').index(0), ips[0], "may not be set to 'None' for NodePort services"));
  if (s.type === 'ExternalName') {
    if (ips.length > 0) errs.push(forbidden(spec.child('clusterIPs'), 'may not be set for ExternalName services'));
    if (asArray(s.ipFamilies).length > 0) errs.push(forbidden(spec.child('ipFamilies'), 'may not be set for ExternalName services'));
    if (s.ipFamilyPolicy) errs.push(forbidden(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
    // A trailing dot marks the CNAME as fully qualified.
    const cname = (s.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...check1123(cname));
    else errs.push(required(spec.child('externalName')));
  }

  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = spec.child('ports').index(i);
    if (ports.length > 1 && !port.name) {
      errs.push(required(p.child('name')));
    } else if (port.name) {
      errs.push(...validateDNS1123Label(port.name, p.child('name')));
      if (names.has(port.name)) errs.push(duplicate(p.child('name'), port.name));
      else names.add(port.name);
    }
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(p.child('port'), port.port, msg));
    if (!port.protocol) errs.push(required(p.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(p.child('protocol'), port.protocol, PORT_PROTOCOLS));
    errs.push(...validatePortNumOrName(port.targetPort ?? 0, p.child('targetPort'), isValidPortNum, isValidPortName));
    if (port.appProtocol !== undefined && port.appProtocol !== null) errs.push(...validateQualifiedName(port.appProtocol, p.child('appProtocol')));
  });

  if (s.selector) errs.push(...validateLabels(s.selector, spec.child('selector')));
  if (!s.sessionAffinity) errs.push(required(spec.child('sessionAffinity')));
  else if (!SESSION_AFFINITIES.includes(s.sessionAffinity)) errs.push(notSupported(spec.child('sessionAffinity'), s.sessionAffinity, SESSION_AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinity(s));
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig) {
    errs.push(forbidden(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPs(s));
  asArray(s.externalIPs).forEach((ip, i) => {
    const p = spec.child('externalIPs').index(i);
    const bad = validateIP(ip, p);
    if (bad.length) errs.push(...bad);
    else errs.push(...validateNonSpecialIP(ip, p));
  });

  if (!s.type) errs.push(required(spec.child('type')));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(notSupported(spec.child('type'), s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort) errs.push(forbidden(spec.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const p = spec.child('ports').index(i);
    if (port.nodePort) {
      const key = `${port.protocol}/${port.nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(p.child('nodePort'), port.nodePort));
      nodePorts.add(key);
    }
    const key = `${port.protocol}/${port.port}`;
    if (portKeys.has(key)) errs.push(duplicate(p, { protocol: port.protocol, port: port.port }));
    portKeys.add(key);
  });

  errs.push(...validateSourceRanges(svc));
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && s.type !== 'LoadBalancer') {
    errs.push(forbidden(spec.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null)) {
    // Upstream reports this one without the spec prefix.
    errs.push(required(rootPath('allocateLoadBalancerNodePorts')));
  }
  if (s.loadBalancerClass !== undefined && s.loadBalancerClass !== null) {
    if (s.type !== 'LoadBalancer') errs.push(forbidden(spec.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
    else errs.push(...validateQualifiedName(s.loadBalancerClass, spec.child('loadBalancerClass')));
  }
  errs.push(...validateTrafficPolicies(s));
  return errs;
}

const check1123 = (cname: string): FieldError[] => isDNS1123Subdomain(cname).map((msg) => invalid(spec.child('externalName'), cname, msg));

function validateClientIPAffinity(s: ServiceSpec): FieldError[] {
  const p = spec.child('sessionAffinityConfig');
  const detail = 'when session affinity type is ClientIP';
  const cfg = s.sessionAffinityConfig;
  if (!cfg) return [required(p, detail)];
  if (!cfg.clientIP) return [required(p.child('clientIP'), detail)];
  const timeout = cfg.clientIP.timeoutSeconds;
  const tp = p.child('clientIP', 'timeoutSeconds');
  if (timeout === undefined || timeout === null) return [required(tp, detail)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [invalid(tp, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validateClusterIPs(s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ipsPath = spec.child('clusterIPs');
  const ips = clusterIPsOf(s);
  if (s.clusterIP && ips[0] !== s.clusterIP) errs.push(invalid(ipsPath, ips, 'first value must match `clusterIP`'));
  if (!s.clusterIP && asArray(s.clusterIPs).length) errs.push(invalid(ipsPath, ips, 'must be empty when `clusterIP` is not specified'));
  const seen = new Set<string>();
  asArray(s.ipFamilies).forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(notSupported(spec.child('ipFamilies').index(i), f, IP_FAMILIES));
    if (seen.has(f)) errs.push(duplicate(spec.child('ipFamilies').index(i), f));
    seen.add(f);
  });
  if (s.ipFamilyPolicy && !IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy)) errs.push(notSupported(spec.child('ipFamilyPolicy'), s.ipFamilyPolicy, IP_FAMILY_POLICIES));
  if (s.type === 'ExternalName') return errs;
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(invalid(ipsPath, ips, "'None' must be the first and only value"));
      }
      return;
    }
    const msgs = isValidIP(ip);
    if (msgs.length) badIPs = true;
    for (const msg of msgs) errs.push(invalid(ipsPath.index(i), ip, msg));
  });
  if (ips.length > 2) errs.push(invalid(ipsPath, ips, 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1 && ipFamilyOf(ips[0]!) === ipFamilyOf(ips[1]!)) {
    errs.push(invalid(ipsPath, ips, 'may specify no more than one IP for each IP family'));
  }
  const families = asArray(s.ipFamilies);
  if (!isHeadless(s)) {
    ips.forEach((ip, i) => {
      const fam = families[i];
      if (fam === 'IPv4' && ipFamilyOf(ip) === 6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && ipFamilyOf(ip) !== 6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateSourceRanges(svc: Service): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ranges = asArray(s.loadBalancerSourceRanges);
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length) {
    // Upstream spells this path with a capital L.
    const p = spec.child('LoadBalancerSourceRanges');
    if (s.type !== 'LoadBalancer') errs.push(forbidden(p, lbOnly));
    ranges.forEach((r, i) => {
      for (const msg of isValidCIDR(r.trim())) errs.push(invalid(p.index(i), r.trim(), msg));
    });
    return errs;
  }
  const annotation = svc.metadata?.annotations?.[LB_SOURCE_RANGES_ANNOTATION];
  if (annotation === undefined) return errs;
  const p = rootPath('metadata').child('annotations').key(LB_SOURCE_RANGES_ANNOTATION);
  if (s.type !== 'LoadBalancer') errs.push(forbidden(p, lbOnly));
  const trimmed = annotation.trim();
  if (trimmed) {
    for (const cidr of trimmed.split(',')) for (const msg of isValidCIDR(cidr.trim())) errs.push(invalid(p, cidr.trim(), msg));
  }
  return errs;
}

function validateTrafficPolicies(s: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const etp = s.externalTrafficPolicy ?? '';
  if (!externallyAccessible(s)) {
    if (etp) errs.push(invalid(spec.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(required(spec.child('externalTrafficPolicy')));
  } else if (!TRAFFIC_POLICIES.includes(etp)) {
    errs.push(notSupported(spec.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  }
  const needsHealthCheck = s.type === 'LoadBalancer' && etp === 'Local';
  const hc = s.healthCheckNodePort ?? 0;
  if (!needsHealthCheck && hc) {
    errs.push(invalid(spec.child('healthCheckNodePort'), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needsHealthCheck && hc) {
    for (const msg of isValidPortNum(hc)) errs.push(invalid(spec.child('healthCheckNodePort'), hc, msg));
  }
  const itp = s.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (s.type !== 'ExternalName') errs.push(required(spec.child('internalTrafficPolicy')));
  } else if (!TRAFFIC_POLICIES.includes(itp)) {
    errs.push(notSupported(spec.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  }
  if (s.trafficDistribution !== undefined && s.trafficDistribution !== null && s.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported(spec.child('trafficDistribution'), s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/**
 * Cluster IPs may gain or lose a secondary address but never change the primary. An update
 * that omits them keeps the allocated ones (upstream's registry copies them over first).
 */
export function validateServiceUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const s = (obj as Service).spec ?? {};
  const o = (oldObj as Service).spec ?? {};
  const errs: FieldError[] = [];
  const p0 = spec.child('clusterIPs').index(0);
  if (s.type !== 'ExternalName' && o.type !== 'ExternalName' && !(isHeadless(s) && isHeadless(o))) {
    const now = clusterIPsOf(s);
    const before = clusterIPsOf(o);
    if (now.length > 0) {
      if (now.length === before.length) {
        if (before.some((ip, i) => ip !== now[i])) errs.push(invalid(p0, now, 'may not change once set'));
      } else if (before.length > now.length) {
        if (now[0] !== before[0]) errs.push(invalid(p0, now, 'may not change once set'));
        if (now.length === 1 && s.ipFamilyPolicy !== 'SingleStack') {
          errs.push(invalid(p0, now, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
        }
      } else if (before.length > 0 && now[0] !== before[0]) {
        errs.push(invalid(p0, now, 'may not change once set'));
      }
    }
    const nf = asArray(s.ipFamilies);
    const of = asArray(o.ipFamilies);
    if (nf.length && of.length && nf[0] !== of[0]) errs.push(invalid(spec.child('ipFamilies').index(0), nf, 'may not change once set'));
  }
  if (s.type === 'LoadBalancer' && o.type === 'LoadBalancer' && (s.loadBalancerClass ?? null) !== (o.loadBalancerClass ?? null)) {
    errs.push(invalid(spec.child('loadBalancerClass'), s.loadBalancerClass ?? null, 'may not change once set'));
  }
  return errs;
}

export function validateServiceStatusUpdate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ingress = asArray((obj as Service).status?.loadBalancer?.ingress);
  const p = rootPath('status').child('loadBalancer', 'ingress');
  ingress.forEach((ing, i) => {
    if (ing.ip) errs.push(...validateIP(ing.ip, p.index(i).child('ip')));
    if (ing.hostname) {
      for (const msg of isDNS1123Subdomain(ing.hostname)) errs.push(invalid(p.index(i).child('hostname'), ing.hostname, msg));
      if (isValidIP(ing.hostname).length === 0) errs.push(invalid(p.index(i).child('hostname'), ing.hostname, 'must be a DNS name, not an IP address'));
    }
    if (ing.ipMode !== undefined && ing.ipMode !== null) {
      if (!ing.ip) errs.push(forbidden(p.index(i).child('ipMode'), 'may not be specified when `ip` is not set'));
      else if (!['VIP', 'Proxy'].includes(ing.ipMode)) errs.push(notSupported(p.index(i).child('ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    }
  });
  return errs;
}
