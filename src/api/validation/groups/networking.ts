// networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy (upstream pkg/apis/networking/validation).
import { FieldPath, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabelSelector } from '../meta.js';
import {
  isDNS1123Subdomain,
  isValidCIDR,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  pathSegmentName,
} from '../names.js';
import { arr, domainPrefixedPath, each, immutable, isStrictSubnet, num, o, parseCIDR, parseIP, root, str, type GroupValidator, type Obj } from './common.js';
import { invalidRendered } from './go-format.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const MAX_INGRESS_CLASS_CONTROLLER_LENGTH = 250;

// ---------------- Ingress ----------------

/** TypedLocalObjectReference of a resource backend or IngressClass parameters. */
function validateTypedLocalObjectReference(ref: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (present(ref.apiGroup)) errs.push(...each(path.child('apiGroup'), str(ref.apiGroup), isDNS1123Subdomain(str(ref.apiGroup))));
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]);
    if (v === '') errs.push(required(path.child(f), `${f} is required`));
    else errs.push(...each(path.child(f), v, pathSegmentName(v, false)));
  }
  return errs;
}

function validateIngressBackend(backend: Obj, path: FieldPath): FieldError[] {
  const hasResource = present(backend.resource);
  const hasService = present(backend.service);
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(o(backend.resource), path.child('resource'));
  if (!hasService) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const service = o(backend.service);
  const name = str(service.name);
  if (name === '') errs.push(required(path.child('service', 'name')));
  else errs.push(...each(path.child('service', 'name'), name, nameIsDNS1035Label(name, false)));
  const port = o(service.port);
  const portName = str(port.name);
  const portNumber = num(port.number) ?? 0;
  if (portName !== '' && portNumber !== 0) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') errs.push(...each(path.child('service', 'port', 'name'), portName, isValidPortName(portName)));
  else if (portNumber !== 0) errs.push(...each(path.child('service', 'port', 'number'), portNumber, isValidPortNum(portNumber)));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

function validateHTTPPath(p: Obj, path: FieldPath): FieldError[] {
  if (!present(p.pathType)) return [required(path.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = str(p.path);
  const pathType = str(p.pathType);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
    if (value.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(invalid(path.child('path'), value, `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(path.child('path'), value, `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) errs.push(invalid(path.child('path'), value, 'must be an absolute path'));
  } else {
    errs.push(notSupported(path.child('pathType'), pathType, PATH_TYPES));
  }
  errs.push(...validateIngressBackend(o(p.backend), path.child('backend')));
  return errs;
}

function validateHost(host: string, path: FieldPath): FieldError[] {
  if (host.includes('*')) return each(path, host, isWildcardDNS1123Subdomain(host));
  return each(path, host, isDNS1123Subdomain(host));
}

function validateIngressRules(rules: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((raw, i) => {
    const rule = o(raw);
    const host = str(rule.host);
    if (host !== '') {
      if (parseIP(host)) errs.push(invalid(path.index(i).child('host'), host, 'must be a DNS name, not an IP address'));
      errs.push(...validateHost(host, path.index(i).child('host')));
    }
    if (present(rule.http)) {
      const paths = arr(o(rule.http).paths);
      const httpPath = path.index(i).child('http');
      if (paths.length === 0) errs.push(required(httpPath.child('paths')));
      paths.forEach((p, j) => errs.push(...validateHTTPPath(o(p), httpPath.child('paths').index(j))));
    }
  });
  return errs;
}

function validateIngressSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(s.rules);
  if (rules.length === 0 && !present(s.defaultBackend)) {
    errs.push(invalidRendered(path, s.rules, present(s.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'));
  }
  if (present(s.defaultBackend)) errs.push(...validateIngressBackend(o(s.defaultBackend), path.child('defaultBackend')));
  if (rules.length > 0) errs.push(...validateIngressRules(rules, path.child('rules')));
  arr(s.tls).forEach((raw, i) => {
    const tls = o(raw);
    const tlsPath = path.child('tls').index(i);
    arr(tls.hosts).forEach((h, j) => errs.push(...validateHost(str(h), tlsPath.child('hosts').index(j))));
    const secret = str(tls.secretName);
    if (secret !== '') errs.push(...each(tlsPath.child('secretName'), secret, nameIsDNSSubdomain(secret, false)));
  });
  const className = str(s.ingressClassName);
  if (className !== '') errs.push(...each(path.child('ingressClassName'), className, nameIsDNSSubdomain(className, false)));
  return errs;
}

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

const ingress: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj: KubeObject) {
    const s = o(obj.spec);
    const errs = validateIngressSpec(s, root('spec'));
    const annotation = obj.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
    if (annotation !== undefined && present(s.ingressClassName) && annotation !== s.ingressClassName) {
      errs.push(invalid(root('annotations').child(INGRESS_CLASS_ANNOTATION), annotation, 'must match `ingressClassName` when both are specified'));
    }
    return errs;
  },
  validateStatusUpdate(obj) {
    const errs: FieldError[] = [];
    const path = root('status').child('loadBalancer', 'ingress');
    arr(o(o(obj.status).loadBalancer).ingress).forEach((raw, i) => {
      const entry = o(raw);
      const ip = str(entry.ip);
      if (ip !== '' && !parseIP(ip)) errs.push(invalid(path.index(i).child('ip'), ip, 'must be a valid IP address'));
      const host = str(entry.hostname);
      if (host !== '') {
        errs.push(...each(path.index(i).child('hostname'), host, isDNS1123Subdomain(host)));
        if (parseIP(host)) errs.push(invalid(path.index(i).child('hostname'), host, 'must be a DNS name, not an IP address'));
      }
    });
    return errs;
  },
};

// ---------------- IngressClass ----------------

function validateIngressClassParameters(params: unknown, path: FieldPath): FieldError[] {
  if (!present(params)) return [];
  const p = o(params);
  const errs = validateTypedLocalObjectReference(p, path);
  if (!present(p.scope)) return [...errs, required(path.child('scope'))];
  const scope = str(p.scope);
  if (scope !== 'Cluster' && scope !== 'Namespace') return [...errs, notSupported(path.child('scope'), scope, ['Cluster', 'Namespace'])];
  if (scope === 'Namespace') {
    if (!present(p.namespace)) errs.push(required(path.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...each(path.child('namespace'), str(p.namespace), nameIsDNSLabel(str(p.namespace), false)));
  }
  if (scope === 'Cluster' && present(p.namespace)) errs.push(forbidden(path.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

const ingressClass: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const s = o(obj.spec);
    const path = root('spec');
    const controller = str(s.controller);
    const errs: FieldError[] = [];
    if (controller.length > MAX_INGRESS_CLASS_CONTROLLER_LENGTH) errs.push(tooLong(path.child('controller'), controller, MAX_INGRESS_CLASS_CONTROLLER_LENGTH));
    errs.push(...domainPrefixedPath(path.child('controller'), controller));
    errs.push(...validateIngressClassParameters(s.parameters, path.child('parameters')));
    return errs;
  },
  validateUpdate: (obj, old) => immutable(str(o(obj.spec).controller), str(o(old.spec).controller), root('spec').child('controller')),
};

// ---------------- NetworkPolicy ----------------

function validatePort(port: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (present(port.protocol) && !['TCP', 'UDP', 'SCTP'].includes(str(port.protocol))) {
    errs.push(notSupported(path.child('protocol'), port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  const endPort = num(port.endPort);
  if (typeof port.port === 'number') {
    errs.push(...each(path.child('port'), port.port, isValidPortNum(port.port)));
    if (endPort !== undefined) {
      if (endPort < port.port) errs.push(invalid(path.child('endPort'), port.port, 'must be greater than or equal to `port`'));
      errs.push(...each(path.child('endPort'), endPort, isValidPortNum(endPort)));
    }
  } else if (typeof port.port === 'string') {
    if (endPort !== undefined) errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...each(path.child('port'), port.port, isValidPortName(port.port)));
  } else if (endPort !== undefined) {
    errs.push(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(block: Obj, path: FieldPath): FieldError[] {
  const cidr = str(block.cidr);
  if (cidr === '') return [required(path.child('cidr'))];
  const errs = each(path.child('cidr'), cidr, isValidCIDR(cidr));
  if (!parseCIDR(cidr)) return errs;
  arr(block.except).forEach((raw, i) => {
    const except = str(raw);
    const exceptPath = path.child('except').index(i);
    errs.push(...each(exceptPath, except, isValidCIDR(except)));
    if (parseCIDR(except) && !isStrictSubnet(cidr, except)) errs.push(invalid(exceptPath, except, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  for (const f of ['podSelector', 'namespaceSelector']) {
    if (!present(peer[f])) continue;
    peers++;
    errs.push(...validateLabelSelector(peer[f] as never, path.child(f)));
  }
  if (present(peer.ipBlock)) {
    peers++;
    errs.push(...validateIPBlock(o(peer.ipBlock), path.child('ipBlock')));
  }
  if (peers === 0) errs.push(required(path, 'must specify a peer'));
  else if (peers > 1 && present(peer.ipBlock)) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateNetworkPolicySpec(s: Obj, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(o(s.podSelector) as never, path.child('podSelector'));
  arr(s.ingress).forEach((raw, i) => {
    const rule = o(raw);
    const rp = path.child('ingress').index(i);
    arr(rule.ports).forEach((p, j) => errs.push(...validatePort(o(p), rp.child('ports').index(j))));
    arr(rule.from).forEach((p, j) => errs.push(...validatePeer(o(p), rp.child('from').index(j))));
  });
  arr(s.egress).forEach((raw, i) => {
    const rule = o(raw);
    const rp = path.child('egress').index(i);
    arr(rule.to).forEach((p, j) => errs.push(...validatePeer(o(p), rp.child('to').index(j))));
    arr(rule.ports).forEach((p, j) => errs.push(...validatePort(o(p), rp.child('ports').index(j))));
  });
  const types = arr(s.policyTypes);
  if (types.length > 2) {
    const rendered = `&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`;
    return [...errs, invalidRendered(path.child('policyTypes'), types, rendered, 'may not specify more than two policyTypes')];
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(path.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

const networkPolicy: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: (obj) => validateNetworkPolicySpec(o(obj.spec), root('spec')),
};

export const networkingValidators: Record<string, GroupValidator> = {
  'Ingress.networking.k8s.io': ingress,
  'IngressClass.networking.k8s.io': ingressClass,
  'NetworkPolicy.networking.k8s.io': networkPolicy,
};
