// PodSpec and PodTemplateSpec validation (upstream ValidatePodSpec / ValidatePodTemplateSpec),
// shared by Pods, PodTemplates, ReplicationControllers and every workload in other groups.
import type { HostAlias, PodDNSConfig, PodSecurityContext, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../../field-errors.js';
import { validateAnnotations, validateLabels } from '../meta.js';
import { isDNS1123Subdomain, isValidGroupID, isValidUserID } from '../names.js';
import {
  MAX_INT32, asArray, asRecord, validateDNS1123Label, validateDNS1123Subdomain, validateIP, validateQualifiedName,
} from './common.js';
import { validateContainers, validateInitContainers, validateSeccompProfile } from './containers.js';
import { quantityAt, validateContainerResourceName, validateNonnegativeQuantity } from './resources.js';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './scheduling.js';
import { validateVolumes } from './volumes.js';

export interface PodValidationOptions {
  /**
   * True when the spec belongs to a Pod itself; templates (Deployments...) may leave hostPort
   * unset under hostNetwork because it is defaulted when the Pod is created.
   */
  resourceIsPod?: boolean;
}

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;

export function validateRestartPolicy(policy: string | undefined, path: FieldPath): FieldError[] {
  if (!policy) return [required(path)];
  return RESTART_POLICIES.includes(policy) ? [] : [notSupported(path, policy, RESTART_POLICIES)];
}

function validateDNSPolicy(policy: string | undefined, path: FieldPath): FieldError[] {
  if (!policy) return [required(path)];
  return DNS_POLICIES.includes(policy) ? [] : [notSupported(path, policy, DNS_POLICIES)];
}

function validatePodDNSConfig(cfg: PodDNSConfig | undefined, policy: string | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (policy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!asArray(cfg.nameservers).length) return [required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return errs;
  const nameservers = asArray(cfg.nameservers);
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalid(path.child('nameservers'), nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => errs.push(...validateIP(ns, path.child('nameservers').index(i))));
  const searches = asArray(cfg.searches);
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalid(path.child('searches'), searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(invalid(path.child('searches'), searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`));
  }
  // A trailing dot (fully-qualified form) is fine.
  searches.forEach((s, i) => errs.push(...validateDNS1123Subdomain(s.endsWith('.') ? s.slice(0, -1) : s, path.child('searches').index(i))));
  asArray(cfg.options).forEach((o, i) => {
    if (!o.name) errs.push(required(path.child('options').index(i), 'Option.Name must not be empty'));
  });
  return errs;
}

function validateHostAliases(aliases: HostAlias[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(aliases).forEach((a, i) => {
    errs.push(...validateIP(a.ip ?? '', path.index(i).child('ip')));
    for (const h of asArray(a.hostnames)) errs.push(...validateDNS1123Subdomain(h, path.index(i).child('hostnames')));
  });
  return errs;
}

function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: FieldPath): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.fsGroup !== undefined && sc.fsGroup !== null) for (const msg of isValidGroupID(sc.fsGroup)) errs.push(invalid(path.child('fsGroup'), sc.fsGroup, msg));
  if (sc.runAsUser !== undefined && sc.runAsUser !== null) for (const msg of isValidUserID(sc.runAsUser)) errs.push(invalid(path.child('runAsUser'), sc.runAsUser, msg));
  if (sc.runAsGroup !== undefined && sc.runAsGroup !== null) for (const msg of isValidGroupID(sc.runAsGroup)) errs.push(invalid(path.child('runAsGroup'), sc.runAsGroup, msg));
  asArray(sc.supplementalGroups).forEach((g, i) => {
    for (const msg of isValidGroupID(g)) errs.push(invalid(path.child('supplementalGroups').index(i), g, msg));
  });
  if (sc.fsGroupChangePolicy !== undefined && sc.fsGroupChangePolicy !== null && !['OnRootMismatch', 'Always'].includes(sc.fsGroupChangePolicy)) {
    errs.push(notSupported(path.child('fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always']));
  }
  const seen = new Set<string>();
  asArray(sc.sysctls).forEach((s, i) => {
    const p = path.child('sysctls').index(i);
    if (!s.name) errs.push(required(p.child('name')));
    else if (!/^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/.test(s.name) || s.name.length > 253) {
      errs.push(invalid(p.child('name'), s.name,
        "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$"));
    }
    if (seen.has(s.name)) errs.push(duplicate(p.child('name'), s.name));
    seen.add(s.name);
  });
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')));
  return errs;
}

/** Under hostNetwork a container's hostPort must equal its containerPort (0 allowed in templates). */
function validateHostNetworkPorts(spec: PodSpec, path: FieldPath, opts: PodValidationOptions): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  for (const kind of ['containers', 'initContainers'] as const) {
    asArray(spec[kind]).forEach((ctr, i) => {
      asArray(ctr.ports).forEach((port, j) => {
        const hp = port.hostPort ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== port.containerPort) {
          errs.push(invalid(path.child(kind).index(i).child('ports').index(j).child('hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const s = spec ?? ({} as PodSpec);
  const errs: FieldError[] = [];
  const { errors: volErrs, names: volumes } = validateVolumes(s.volumes, path.child('volumes'));
  errs.push(...volErrs);
  const ctx = { volumes, gracePeriod: s.terminationGracePeriodSeconds };
  errs.push(...validateContainers(s.containers, path.child('containers'), ctx));
  errs.push(...validateInitContainers(s.initContainers, s.containers, path.child('initContainers'), ctx));
  errs.push(...validateHostNetworkPorts(s, path, opts));
  errs.push(...validateRestartPolicy(s.restartPolicy, path.child('restartPolicy')));
  errs.push(...validateDNSPolicy(s.dnsPolicy, path.child('dnsPolicy')));
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(s.securityContext, path.child('securityContext')));
  if (s.shareProcessNamespace === true && s.hostPID) {
    // Upstream keeps these in its internal security context, hence the path.
    errs.push(invalid(path.child('securityContext', 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  errs.push(...validateAffinity(s.affinity, path.child('affinity')));
  errs.push(...validatePodDNSConfig(s.dnsConfig, s.dnsPolicy, path.child('dnsConfig')));
  asArray(s.readinessGates).forEach((g, i) => errs.push(...validateQualifiedName(g.conditionType ?? '', path.child('readinessGates').index(i).child('conditionType'))));
  const gates = new Set<string>();
  asArray(s.schedulingGates).forEach((g, i) => {
    errs.push(...validateQualifiedName(g.name ?? '', path.child('schedulingGates').index(i)));
    if (gates.has(g.name)) errs.push(duplicate(path.child('schedulingGates').index(i), g.name));
    gates.add(g.name);
  });
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  const subdomainFields = ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName'] as const;
  for (const f of subdomainFields) {
    const v = s[f];
    if (v) for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(path.child(f), v, msg));
  }
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(invalid(path.child('activeDeadlineSeconds'), v, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, path.child('hostname')));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, path.child('subdomain')));
  errs.push(...validateTolerations(s.tolerations, path.child('tolerations')));
  errs.push(...validateHostAliases(s.hostAliases, path.child('hostAliases')));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null && !['PreemptLowerPriority', 'Never'].includes(s.preemptionPolicy)) {
    errs.push(notSupported(path.child('preemptionPolicy'), s.preemptionPolicy, ['PreemptLowerPriority', 'Never']));
  }
  for (const [name, raw] of Object.entries(asRecord(s.overhead as Record<string, unknown> | undefined))) {
    const p = path.child('overhead').key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(raw, p, errs);
    if (q) errs.push(...validateNonnegativeQuantity(q, p));
  }
  if (s.os) {
    if (!s.os.name) errs.push(required(path.child('os', 'name')));
    else if (s.os.name !== 'linux' && s.os.name !== 'windows') errs.push(notSupported(path.child('os', 'name'), s.os.name, ['linux', 'windows']));
  }
  if (s.hostUsers === false && (s.hostNetwork || s.hostPID || s.hostIPC)) {
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      if (s[f]) errs.push(forbidden(path.child(f), 'when `pod.Spec.HostUsers` is false'));
    }
  }
  if (asArray(s.imagePullSecrets).some((r) => Object.keys(r).some((k) => k !== 'name'))) {
    asArray(s.imagePullSecrets).forEach((r, i) => {
      if (Object.keys(r).some((k) => k !== 'name')) errs.push(invalid(path.child('imagePullSecrets').index(i), r, 'only name may be set'));
    });
  }
  return errs;
}

/**
 * Template metadata carries labels/annotations only; the spec is a full PodSpec. Upstream's
 * internal template embeds ObjectMeta, so its paths read "template.labels", not "template.metadata.labels".
 */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const t = template ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(t.metadata?.labels, path.child('labels')));
  errs.push(...validateAnnotations(t.metadata?.annotations, path.child('annotations')));
  errs.push(...validatePodSpec(t.spec, path.child('spec'), { ...opts, resourceIsPod: false }));
  if (asArray(t.spec?.ephemeralContainers).length) {
    errs.push(forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
