// Scheduling-related PodSpec fields: tolerations, node/pod (anti-)affinity, topology spread.
import type {
  Affinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration, TopologySpreadConstraint, WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../../field-errors.js';
import { validateLabelName, validateLabelSelector, validateNamespaceName } from '../meta.js';
import { isDNS1123Subdomain, isValidLabelValue } from '../names.js';
import { IS_NOT_POSITIVE_ERROR, asArray } from './common.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, path: FieldPath): FieldError[] {
  if (!effect) return allowEmpty ? [] : [required(path)];
  if ((TAINT_EFFECTS as readonly string[]).includes(effect)) return [];
  return [notSupported(path, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: Toleration[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(tolerations).forEach((t, i) => {
    const p = path.index(i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    const value = t.value ?? '';
    if (key) errs.push(...validateLabelName(key, p.child('key')));
    if (!key && operator !== 'Exists') {
      errs.push(invalid(p.child('operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length) errs.push(invalid(p.child('operator'), value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value) errs.push(invalid(p.child('operator'), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(p.child('operator'), operator, ['Equal', 'Exists']));
    }
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, p.child('effect')));
  });
  return errs;
}

function validateNodeSelectorRequirement(req: NodeSelectorRequirement, allowInvalidValues: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(req.values);
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(path.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(path.child('operator'), req.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(req.key ?? '', path.child('key')));
  if (!allowInvalidValues) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(path.child('values').index(i), v, msg));
    });
  }
  return errs;
}

function validateNodeFieldSelectorRequirement(req: NodeSelectorRequirement, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(req.values);
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length !== 1) errs.push(required(path.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalid(path.child('operator'), req.operator ?? '', 'not a valid selector operator'));
  }
  if (req.key !== 'metadata.name') {
    errs.push(invalid(path.child('key'), req.key ?? '', 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      for (const msg of isDNS1123Subdomain(v)) errs.push(invalid(path.child('values').index(i), v, msg));
    });
  }
  return errs;
}

export function validateNodeSelectorTerm(term: NodeSelectorTerm | undefined, allowInvalidValues: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(term?.matchExpressions).forEach((r, i) => errs.push(...validateNodeSelectorRequirement(r, allowInvalidValues, path.child('matchExpressions').index(i))));
  asArray(term?.matchFields).forEach((r, i) => errs.push(...validateNodeFieldSelectorRequirement(r, path.child('matchFields').index(i))));
  return errs;
}

export function validateNodeSelector(sel: NodeSelector, allowInvalidValues: boolean, path: FieldPath): FieldError[] {
  const termsPath = path.child('nodeSelectorTerms');
  const terms = asArray(sel.nodeSelectorTerms);
  if (terms.length === 0) return [required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, allowInvalidValues, termsPath.index(i)));
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(term.labelSelector, path.child('labelSelector')));
  errs.push(...validateLabelSelector(term.namespaceSelector, path.child('namespaceSelector')));
  for (const ns of asArray(term.namespaces)) {
    for (const msg of validateNamespaceName(ns, false)) errs.push(invalid(path.child('namespace'), ns, msg));
  }
  errs.push(...validateMatchLabelKeys(term, path));
  if (!term.topologyKey) errs.push(required(path.child('topologyKey'), 'can not be empty'));
  errs.push(...validateLabelName(term.topologyKey ?? '', path.child('topologyKey')));
  return errs;
}

/** matchLabelKeys / mismatchLabelKeys need a labelSelector, valid keys, and no key in both. */
function validateMatchLabelKeys(term: PodAffinityTerm, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const match = asArray(term.matchLabelKeys);
  const mismatch = asArray(term.mismatchLabelKeys);
  if (!match.length && !mismatch.length) return errs;
  if (!term.labelSelector) {
    if (match.length) errs.push(forbidden(path.child('matchLabelKeys'), 'must not be specified when labelSelector is not set'));
    if (mismatch.length) errs.push(forbidden(path.child('mismatchLabelKeys'), 'must not be specified when labelSelector is not set'));
    return errs;
  }
  match.forEach((k, i) => errs.push(...validateLabelName(k, path.child('matchLabelKeys').index(i))));
  mismatch.forEach((k, i) => errs.push(...validateLabelName(k, path.child('mismatchLabelKeys').index(i))));
  const both = new Set(match.filter((k) => mismatch.includes(k)));
  match.forEach((k, i) => {
    if (both.has(k)) errs.push(invalid(path.index(i).child('matchLabelKeys'), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return errs;
}

function validateWeightedPodAffinityTerms(terms: WeightedPodAffinityTerm[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(terms).forEach((t, i) => {
    if (!(t.weight > 0 && t.weight <= 100)) errs.push(invalid(path.index(i).child('weight'), t.weight ?? 0, 'must be in the range 1-100'));
    errs.push(...validatePodAffinityTerm(t.podAffinityTerm ?? ({} as PodAffinityTerm), path.index(i).child('podAffinityTerm')));
  });
  return errs;
}

export function validateAffinity(affinity: Affinity | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!affinity) return errs;
  const na = affinity.nodeAffinity;
  if (na) {
    const p = path.child('nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, false, p.child('requiredDuringSchedulingIgnoredDuringExecution')));
    }
    asArray(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const tp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      if (!(t.weight > 0 && t.weight <= 100)) errs.push(invalid(tp.child('weight'), t.weight ?? 0, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(t.preference, true, tp.child('preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = affinity[kind];
    if (!pa) continue;
    const p = path.child(kind);
    asArray(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, p.child('requiredDuringSchedulingIgnoredDuringExecution').index(i))));
    errs.push(...validateWeightedPodAffinityTerms(pa.preferredDuringSchedulingIgnoredDuringExecution, p.child('preferredDuringSchedulingIgnoredDuringExecution')));
  }
  return errs;
}

export function validateTopologySpreadConstraints(constraints: TopologySpreadConstraint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArray(constraints);
  list.forEach((c, i) => {
    const p = path.index(i);
    if (!(c.maxSkew > 0)) errs.push(invalid(p.child('maxSkew'), c.maxSkew ?? 0, IS_NOT_POSITIVE_ERROR));
    if (!c.topologyKey) errs.push(required(p.child('topologyKey'), 'can not be empty'));
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      errs.push(notSupported(p.child('whenUnsatisfiable'), c.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    }
    // {topologyKey, whenUnsatisfiable} identifies a constraint; each may appear once.
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(duplicate(p.child('{topologyKey, whenUnsatisfiable}'), `{${c.topologyKey ?? ''}, ${c.whenUnsatisfiable ?? ''}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0) errs.push(invalid(p.child('minDomains'), c.minDomains, IS_NOT_POSITIVE_ERROR));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(invalid(p.child('minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable ?? ''}`));
      }
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[policy];
      if (v !== undefined && v !== null && v !== 'Honor' && v !== 'Ignore') errs.push(notSupported(p.child(policy), v, ['Honor', 'Ignore']));
    }
    errs.push(...validateTopologyMatchLabelKeys(c, p.child('matchLabelKeys')));
    errs.push(...validateLabelSelector(c.labelSelector, p.child('labelSelector')));
  });
  return errs;
}

function validateTopologyMatchLabelKeys(c: TopologySpreadConstraint, path: FieldPath): FieldError[] {
  const keys = asArray(c.matchLabelKeys);
  if (!keys.length) return [];
  if (!c.labelSelector) return [forbidden(path, 'must not be specified when labelSelector is not set')];
  const errs: FieldError[] = [];
  const selectorKeys = new Set([...Object.keys(c.labelSelector.matchLabels ?? {}), ...asArray(c.labelSelector.matchExpressions).map((e) => e.key)]);
  keys.forEach((k, i) => {
    const p = path.index(i);
    errs.push(...validateLabelName(k, p));
    if (selectorKeys.has(k)) errs.push(invalid(p, k, 'exists in both matchLabelKeys and labelSelector'));
  });
  return errs;
}
