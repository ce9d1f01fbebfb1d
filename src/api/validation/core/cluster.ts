// Namespace, Node, Endpoints, Binding and Event.
import type { Binding, Endpoints, Event, Namespace, Node } from 'kubernetes-types/core/v1.js';
import { type FieldError, duplicate, forbidden, invalid, notSupported, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateFinalizerName, validateLabelName } from '../meta.js';
import { ipFamilyOf, isDNS1123Subdomain, isValidCIDR, isValidLabelValue, isValidPortNum } from '../names.js';
import { asArray, asRecord, validateDNS1123Label, validateIP, validateNonSpecialIP, validateQualifiedName } from './common.js';
import { PORT_PROTOCOLS } from './containers.js';
import { quantityAt, validateResourceName, validateResourceQuantityValue } from './resources.js';
import { validateTaintEffect } from './scheduling.js';

export function validateNamespace(obj: KubeObject): FieldError[] {
  const ns = obj as Namespace;
  return asArray(ns.spec?.finalizers).flatMap((f) => validateFinalizerName(f, rootPath('spec').child('finalizers')));
}

export function validateNamespaceStatusUpdate(obj: KubeObject): FieldError[] {
  const ns = obj as Namespace;
  const phase = ns.status?.phase ?? '';
  // Upstream capitalises Phase in this path.
  const path = rootPath('status').child('Phase');
  if (!ns.metadata?.deletionTimestamp) {
    return phase === 'Active' ? [] : [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

export function validateNode(obj: KubeObject): FieldError[] {
  const node = obj as Node;
  const errs: FieldError[] = [];
  // Upstream reports taints under metadata.taints.
  const taintsPath = rootPath('metadata').child('taints');
  const seen = new Set<string>();
  asArray(node.spec?.taints).forEach((t, i) => {
    const p = taintsPath.index(i);
    errs.push(...validateLabelName(t.key ?? '', p.child('key')));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length) errs.push(invalid(p.child('value'), t.value ?? '', msgs.join(';')));
    errs.push(...validateTaintEffect(t.effect, false, p.child('effect')));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) errs.push({ ...duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(key);
  });
  const cidrs = asArray(node.spec?.podCIDRs);
  const cidrsPath = rootPath('spec').child('podCIDRs');
  let badCIDR = false;
  cidrs.forEach((c, i) => {
    for (const msg of isValidCIDR(c)) {
      badCIDR = true;
      errs.push(invalid(cidrsPath.index(i), c, msg));
    }
  });
  if (!badCIDR && cidrs.length > 1) {
    const fam = (c: string): number => ipFamilyOf(c.slice(0, c.indexOf('/')));
    if (cidrs.length > 2 || fam(cidrs[0]!) === fam(cidrs[1]!)) errs.push(invalid(cidrsPath, cidrs, 'may specify no more than one CIDR for each IP family'));
  }
  for (const field of ['capacity', 'allocatable'] as const) {
    for (const [name, raw] of Object.entries(asRecord(node.status?.[field] as Record<string, unknown> | undefined))) {
      const p = rootPath('status').child(field).key(name);
      errs.push(...validateResourceName(name, p));
      const q = quantityAt(raw, p, errs);
      if (q) errs.push(...validateResourceQuantityValue(name, q, p));
    }
  }
  return errs;
}

export function validateNodeUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const node = obj as Node;
  const old = oldObj as Node;
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(node.status?.addresses).forEach((a, i) => {
    const key = `${a.type}\u0000${a.address}`;
    if (seen.has(key)) errs.push(duplicate(rootPath('status').child('addresses').index(i), a));
    seen.add(key);
  });
  const oldCidrs = asArray(old.spec?.podCIDRs);
  const newCidrs = asArray(node.spec?.podCIDRs);
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCidrs.length > 0) {
    if (oldCidrs.length !== newCidrs.length) errs.push(forbidden(rootPath('spec').child('podCIDRs'), cidrMsg));
    else oldCidrs.forEach((c, i) => c !== newCidrs[i] && errs.push(forbidden(rootPath('spec').child('podCIDRs'), cidrMsg)));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(forbidden(rootPath('spec').child('providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateEndpoints(obj: KubeObject): FieldError[] {
  const ep = obj as Endpoints;
  const errs: FieldError[] = [];
  asArray(ep.subsets).forEach((ss, i) => {
    const p = rootPath('subsets').index(i);
    if (!asArray(ss.addresses).length && !asArray(ss.notReadyAddresses).length) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const kind of ['addresses', 'notReadyAddresses'] as const) {
      asArray(ss[kind]).forEach((a, j) => {
        const ap = p.child(kind).index(j);
        errs.push(...validateIP(a.ip ?? '', ap.child('ip')));
        if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, ap.child('hostname')));
        if (a.nodeName !== undefined && a.nodeName !== null) {
          for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(invalid(ap.child('nodeName'), a.nodeName, msg));
        }
        errs.push(...validateNonSpecialIP(a.ip ?? '', ap.child('ip')));
      });
    }
    const ports = asArray(ss.ports);
    ports.forEach((port, j) => {
      const pp = p.child('ports').index(j);
      if (ports.length > 1 && !port.name) errs.push(required(pp.child('name')));
      else if (port.name) errs.push(...validateDNS1123Label(port.name, pp.child('name')));
      for (const msg of isValidPortNum(port.port)) errs.push(invalid(pp.child('port'), port.port, msg));
      if (!port.protocol) errs.push(required(pp.child('protocol')));
      else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(pp.child('protocol'), port.protocol, PORT_PROTOCOLS));
      if (port.appProtocol !== undefined && port.appProtocol !== null) errs.push(...validateQualifiedName(port.appProtocol, pp.child('appProtocol')));
    });
  });
  return errs;
}

export function validateBinding(obj: KubeObject): FieldError[] {
  const b = obj as unknown as Binding;
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind && kind !== 'Node') errs.push(notSupported(rootPath('target').child('kind'), kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(required(rootPath('target').child('name')));
  return errs;
}

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

/**
 * core/v1 Events: old-style events (no eventTime) only need a matching namespace; new-style ones
 * also need reportingComponent, reportingInstance, action and reason.
 */
export function validateEvent(obj: KubeObject): FieldError[] {
  const ev = obj as unknown as Event;
  const errs: FieldError[] = [];
  const namespace = ev.metadata?.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const nsMismatch = invalid(rootPath('involvedObject').child('namespace'), involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (namespace !== '' && namespace !== 'default') errs.push(nsMismatch);
    } else if (namespace !== involvedNs) {
      errs.push(nsMismatch);
    }
  } else {
    if (!involvedNs && namespace !== 'default' && namespace !== 'kube-system') errs.push(nsMismatch);
    const controller = ev.reportingComponent ?? '';
    if (!controller) errs.push(required(rootPath('reportingComponent')));
    errs.push(...validateQualifiedName(controller, rootPath('reportingComponent')));
    const instance = ev.reportingInstance ?? '';
    if (!instance) errs.push(required(rootPath('reportingInstance')));
    if (instance.length > REPORTING_INSTANCE_LIMIT) errs.push(invalid(rootPath('reportingInstance'), '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = ev.action ?? '';
    if (!action) errs.push(required(rootPath('action')));
    if (action.length > ACTION_LIMIT) errs.push(invalid(rootPath('action'), '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = ev.reason ?? '';
    if (!reason) errs.push(required(rootPath('reason')));
    if (reason.length > REASON_LIMIT) errs.push(invalid(rootPath('reason'), '', `can have at most ${REASON_LIMIT} characters`));
    if ((ev.message ?? '').length > NOTE_LIMIT) errs.push(invalid(rootPath('message'), '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(invalid(rootPath('namespace'), namespace, msg));
  return errs;
}
