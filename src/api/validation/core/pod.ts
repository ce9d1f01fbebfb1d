// Pod: create validation, the narrow set of allowed spec updates, and status updates.
import type { Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { deepEqual } from '../meta.js';
import { ipFamilyOf, isDNS1123Subdomain } from '../names.js';
import { MAX_INT32, asArray, validateIP, validateQualifiedName } from './common.js';
import { describeDiff } from './diff.js';
import { validatePodSpec } from './pod-spec.js';
import { validateTolerations } from './scheduling.js';

const spec = rootPath('spec');

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function imageWhitespace(pod: Pod, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['containers', 'initContainers'] as const) {
    asArray(pod.spec?.[kind]).forEach((c, i) => {
      if (c.image && c.image.trim() !== c.image) {
        errs.push(invalid(path.child(kind).index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

/** Annotations the pod API interprets itself. */
function validatePodAnnotations(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const cost = pod.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined && !(/^[+-]?[0-9]+$/.test(cost) && Math.abs(Number(cost)) <= MAX_INT32 + (cost.startsWith('-') ? 1 : 0))) {
    errs.push(invalid(rootPath('metadata').child('annotations').key('controller.kubernetes.io/pod-deletion-cost'), cost, 'must be a 32bit integer'));
  }
  return errs;
}

export function validatePod(obj: KubeObject): FieldError[] {
  const pod = obj as Pod;
  return [
    ...validatePodAnnotations(pod),
    ...validatePodSpec(pod.spec, spec, { resourceIsPod: true }),
    ...imageWhitespace(pod, spec),
  ];
}

function validateContainerUpdates(newPod: Pod, oldPod: Pod, kind: 'containers' | 'initContainers'): { errs: FieldError[]; stop: boolean } {
  const path = spec.child(kind);
  const now = asArray(newPod.spec?.[kind]);
  if (now.length !== asArray(oldPod.spec?.[kind]).length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  now.forEach((c, i) => {
    if (!c.image) errs.push(required(path.index(i).child('image')));
    if (c.image && c.image.trim() !== c.image) errs.push(invalid(path.index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

/** Existing tolerations may only change their tolerationSeconds; new ones may be appended. */
function validateOnlyAddedTolerations(now: Toleration[], old: Toleration[], path: FieldPath): FieldError[] {
  for (const o of old) {
    const kept = now.some((n) => deepEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!kept) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(now, path);
}

export function validatePodUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const newPod = obj as Pod;
  const oldPod = oldObj as Pod;
  const errs: FieldError[] = [];
  for (const kind of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(newPod, oldPod, kind);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = newPod.spec?.activeDeadlineSeconds;
  const oldAds = oldPod.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > MAX_INT32) {
      return [...errs, invalid(spec.child('activeDeadlineSeconds'), ads, `must be between 0 and ${MAX_INT32}, inclusive`)];
    }
    if (oldAds !== undefined && oldAds !== null && oldAds < ads) {
      return [...errs, invalid(spec.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value')];
    }
  } else if (oldAds !== undefined && oldAds !== null) {
    errs.push(invalid(spec.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(asArray(newPod.spec?.tolerations), asArray(oldPod.spec?.tolerations), spec.child('tolerations')));
  const oldGates = new Set(asArray(oldPod.spec?.schedulingGates).map((g) => g.name));
  asArray(newPod.spec?.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g.name)) {
      errs.push(forbidden(spec.child('schedulingGates').index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
    }
  });

  const oldSpec = (oldPod.spec ?? {}) as PodSpec;
  if (deepEqual(newPod.spec, oldSpec)) return errs;
  // Copy the updatable fields from the old spec; whatever still differs is forbidden.
  const munged = structuredClone(newPod.spec ?? ({} as PodSpec));
  for (const kind of ['containers', 'initContainers'] as const) {
    asArray(munged[kind]).forEach((c, i) => {
      c.image = oldSpec[kind]?.[i]?.image as string;
    });
  }
  setOrDelete(munged, 'activeDeadlineSeconds', oldSpec.activeDeadlineSeconds);
  setOrDelete(munged, 'schedulingGates', oldSpec.schedulingGates);
  setOrDelete(munged, 'tolerations', oldSpec.tolerations);
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace !== null && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  if (oldGates.size > 0) {
    // Gated pods may still gain node selectors and affinity before they are scheduled.
    setOrDelete(munged, 'nodeSelector', oldSpec.nodeSelector);
    setOrDelete(munged, 'affinity', oldSpec.affinity);
  }
  if (!deepEqual(munged, oldSpec)) {
    errs.push(
      forbidden(spec, `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${describeDiff(oldSpec, munged, 'spec')}`),
    );
  }
  return errs;
}

function setOrDelete<K extends keyof PodSpec>(target: PodSpec, key: K, value: PodSpec[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

const SYSTEM_POD_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady']);

export function validatePodStatusUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const pod = obj as Pod;
  const old = oldObj as Pod;
  const errs: FieldError[] = [];
  const status = rootPath('status');
  // Upstream reports custom condition types under metadata.conditions[i].Type (sic).
  asArray(pod.status?.conditions).forEach((c, i) => {
    if (!SYSTEM_POD_CONDITIONS.has(c.type)) errs.push(...validateQualifiedName(c.type ?? '', rootPath('metadata').child('conditions').index(i).child('Type')));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(forbidden(status.child('nodeName'), 'may not be changed directly'));
  const nominated = pod.status?.nominatedNodeName ?? '';
  if (nominated && nominated !== (old.status?.nominatedNodeName ?? '')) {
    for (const msg of isDNS1123Subdomain(nominated)) errs.push(invalid(status.child('nominatedNodeName'), nominated, msg));
  }
  for (const field of ['podIPs', 'hostIPs'] as const) {
    const ips = asArray(pod.status?.[field]);
    const path = status.child(field);
    ips.forEach((ip, i) => errs.push(...validateIP(ip.ip ?? '', path.index(i))));
    if (ips.length > 1) {
      const families = ips.map((ip) => ipFamilyOf(ip.ip ?? ''));
      if (ips.length > 2 || families[0] === families[1]) errs.push(invalid(path, ips, 'may specify no more than one IP for each IP family'));
      const seen = new Set<string>();
      ips.forEach((ip, i) => {
        if (seen.has(ip.ip ?? '')) errs.push(duplicate(path.index(i), ip));
        seen.add(ip.ip ?? '');
      });
    }
  }
  return errs;
}
