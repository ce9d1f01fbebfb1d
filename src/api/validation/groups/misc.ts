// Small groups: coordination Lease, discovery EndpointSlice, scheduling PriorityClass,
// node RuntimeClass, flowcontrol PriorityLevelConfiguration.
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, tooMany, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabels } from '../meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIPv4Address, isValidIPv6Address, isValidLabelValue, nameIsDNSSubdomain } from '../names.js';
import { arr, each, immutable, num, o, parseIP, root, str, strMap, type GroupValidator } from './common.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;

// ---------------- Lease ----------------

const lease: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const s = o(obj.spec);
    const errs: FieldError[] = [];
    const duration = num(s.leaseDurationSeconds);
    if (duration !== undefined && duration <= 0) errs.push(invalid(root('spec').child('leaseDurationSeconds'), duration, 'must be greater than 0'));
    const transitions = num(s.leaseTransitions);
    if (transitions !== undefined && transitions < 0) errs.push(invalid(root('spec').child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
    return errs;
  },
};

// ---------------- EndpointSlice ----------------

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

/** ValidateEndpointIP: addresses that make no sense as a network endpoint. */
function validateEndpointIP(address: string, path: FieldPath): FieldError[] {
  const ip = parseIP(address);
  if (!ip) return [invalid(path, address, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v = ip.value;
  const v4 = ip.family === 4 || v >> 32n === 0xffffn;
  const low = v & 0xffffffffn;
  if (v === 0n || (ip.family === 4 && low === 0n)) errs.push(invalid(path, address, `may not be unspecified (${address})`));
  if ((v4 && low >> 24n === 127n) || (ip.family === 6 && v === 1n)) errs.push(invalid(path, address, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if ((v4 && low >> 16n === 0xa9fen) || (ip.family === 6 && v >> 118n === 0x3fan)) {
    errs.push(invalid(path, address, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if ((v4 && low >> 8n === 0xe00000n) || (ip.family === 6 && v >> 112n === 0xff02n)) {
    errs.push(invalid(path, address, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

function validateFQDN(address: string, path: FieldPath): FieldError[] {
  if (address === '') return [required(path)];
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const subdomainErrs = isDNS1123Subdomain(name);
  if (subdomainErrs.length > 0) return [invalid(path, name, subdomainErrs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const labelErrs = isDNS1123Label(label);
    if (labelErrs.length > 0) return [invalid(path, label, labelErrs.join(','))];
  }
  return [];
}

function validateEndpoints(obj: KubeObject): FieldError[] {
  const path = root('endpoints');
  const endpoints = arr(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) return [tooMany(path, endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((raw, i) => {
    const ep = o(raw);
    const ep_path = path.index(i);
    const addrPath = ep_path.child('addresses');
    const addresses = arr(ep.addresses).map(str);
    if (addresses.length === 0) errs.push(required(addrPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addrPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => {
      const ap = addrPath.index(j);
      if (obj.addressType === 'IPv4') {
        const e = each(ap, a, isValidIPv4Address(a));
        errs.push(...(e.length > 0 ? e : validateEndpointIP(a, ap)));
      } else if (obj.addressType === 'IPv6') {
        const e = each(ap, a, isValidIPv6Address(a));
        errs.push(...(e.length > 0 ? e : validateEndpointIP(a, ap)));
      } else if (obj.addressType === 'FQDN') errs.push(...validateFQDN(a, ap));
    });
    if (present(ep.nodeName)) errs.push(...each(ep_path.child('nodeName'), str(ep.nodeName), isDNS1123Subdomain(str(ep.nodeName))));
    const topology = strMap(ep.deprecatedTopology);
    const topologyPath = ep_path.child('deprecatedTopology');
    if (topology && Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errs.push(tooMany(topologyPath, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    if (topology) errs.push(...validateLabels(topology, topologyPath));
    if (present(ep.hostname)) errs.push(...each(ep_path.child('hostname'), str(ep.hostname), isDNS1123Label(str(ep.hostname))));
    if (present(ep.hints)) {
      const zones = arr(o(ep.hints).forZones);
      const zonesPath = ep_path.child('hints', 'forZones');
      if (zones.length > MAX_ZONE_HINTS) errs.push(tooMany(zonesPath, zones.length, MAX_ZONE_HINTS));
      else {
        const seen = new Set<string>();
        zones.forEach((z, k) => {
          const name = str(o(z).name);
          const zp = zonesPath.index(k).child('name');
          if (seen.has(name)) errs.push(duplicate(zp, name));
          seen.add(name);
          errs.push(...each(zp, name, isValidLabelValue(name)));
        });
      }
    }
  });
  return errs;
}

function validatePorts(obj: KubeObject): FieldError[] {
  const path = root('ports');
  const ports = arr(obj.ports);
  if (ports.length > MAX_PORTS) return [tooMany(path, ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = o(raw);
    const pp = path.index(i);
    const name = str(p.name);
    if (name !== '') errs.push(...each(pp.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
    names.add(name);
    if (!present(p.protocol)) errs.push(required(pp.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(str(p.protocol))) errs.push(notSupported(pp.child('protocol'), p.protocol, PORT_PROTOCOLS));
    if (present(p.appProtocol)) errs.push(...each(pp.child('appProtocol'), str(p.appProtocol), isQualifiedName(str(p.appProtocol))));
  });
  return errs;
}

const endpointSlice: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const errs: FieldError[] = [];
    const type = str(obj.addressType);
    if (type === '') errs.push(required(root('addressType')));
    else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported(root('addressType'), type, ADDRESS_TYPES));
    return [...errs, ...validateEndpoints(obj), ...validatePorts(obj)];
  },
  validateUpdate: (obj, old) => immutable(str(obj.addressType), str(old.addressType), root('addressType')),
};

// ---------------- PriorityClass ----------------

const SYSTEM_PREFIX = 'system-';
const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

function validatePreemptionPolicy(policy: unknown, path: FieldPath): FieldError[] {
  if (!present(policy)) return [];
  const p = str(policy);
  if (p === '') return [required(path)];
  if (p !== 'PreemptLowerPriority' && p !== 'Never') return [notSupported(path, p, ['PreemptLowerPriority', 'Never'])];
  return [];
}

const priorityClass: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const errs: FieldError[] = [];
    const name = obj.metadata?.name ?? '';
    const value = num(obj.value) ?? 0;
    const globalDefault = obj.globalDefault === true;
    if (name.startsWith(SYSTEM_PREFIX)) {
      const known = SYSTEM_PRIORITY_CLASSES[name];
      let problem: string | undefined;
      if (known === undefined) problem = `${name} is not a known system priority class`;
      else if (known !== value) problem = `value of ${name} PriorityClass must be ${known}`;
      else if (globalDefault) problem = `globalDefault of ${name} PriorityClass must be false`;
      if (problem) errs.push(forbidden(root('metadata').child('name'), `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${problem}`));
    } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.push(forbidden(root('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
    errs.push(...validatePreemptionPolicy(obj.preemptionPolicy, root('preemptionPolicy')));
    return errs;
  },
  validateUpdate(obj, old) {
    const errs: FieldError[] = [];
    if ((num(obj.value) ?? 0) !== (num(old.value) ?? 0)) errs.push(forbidden(root('value'), 'may not be changed in an update.'));
    errs.push(...immutable(obj.preemptionPolicy, old.preemptionPolicy, root('preemptionPolicy')));
    return errs;
  },
};

// ---------------- RuntimeClass ----------------

const runtimeClass: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const handler = str(obj.handler);
    const errs = each(root('handler'), handler, isDNS1123Label(handler));
    const scheduling = o(obj.scheduling);
    const nodeSelector = strMap(scheduling.nodeSelector);
    if (nodeSelector) errs.push(...validateLabels(nodeSelector, root('scheduling').child('nodeSelector')));
    return errs;
  },
  validateUpdate: (obj, old) => immutable(str(obj.handler), str(old.handler), root('handler')),
};

// ---------------- PriorityLevelConfiguration (flowcontrol.apiserver.k8s.io) ----------------
// The enablement type and limit-response shape rules; numeric queuing limits are not checked yet.

function validateLimitResponse(limitResponse: Record<string, unknown>, path: FieldPath): FieldError[] {
  const type = str(limitResponse.type);
  const queuing = limitResponse.queuing;
  if (type === 'Reject') {
    return present(queuing) ? [forbidden(path.child('queuing'), 'must be nil if limited.limitResponse.type is not Limited')] : [];
  }
  if (type === 'Queue') {
    return present(queuing) ? [] : [required(path.child('queuing'), 'must not be empty if limited.limitResponse.type is Limited')];
  }
  return [notSupported(path.child('type'), type, ['Queue', 'Reject'])];
}

const priorityLevelConfiguration: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const spec = o(obj.spec);
    const path = root('spec');
    const type = str(spec.type);
    if (type === 'Exempt') return present(spec.limited) ? [forbidden(path.child('limited'), 'must be nil if the type is not Limited')] : [];
    if (type === 'Limited') {
      const errs: FieldError[] = [];
      if (present(spec.exempt)) errs.push(forbidden(path.child('exempt'), 'must be nil if the type is Limited'));
      if (!present(spec.limited)) errs.push(required(path.child('limited'), 'must not be empty when type is Limited'));
      else errs.push(...validateLimitResponse(o(o(spec.limited).limitResponse), path.child('limited').child('limitResponse')));
      return errs;
    }
    return [notSupported(path.child('type'), type, ['Exempt', 'Limited'])];
  },
};

export const miscValidators: Record<string, GroupValidator> = {
  'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io': priorityLevelConfiguration,
  'Lease.coordination.k8s.io': lease,
  'EndpointSlice.discovery.k8s.io': endpointSlice,
  'PriorityClass.scheduling.k8s.io': priorityClass,
  'RuntimeClass.node.k8s.io': runtimeClass,
};
