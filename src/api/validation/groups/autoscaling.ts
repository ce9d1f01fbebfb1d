// autoscaling/v2 HorizontalPodAutoscaler (upstream pkg/apis/autoscaling/validation). As upstream,
// metrics are checked only when scaleTargetRef is valid, and behavior only when metrics are.
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1123Label, nameIsDNSSubdomain, pathSegmentName } from '../names.js';
import { arr, each, nonNegative, num, o, root, str, type GroupValidator, type Obj } from './common.js';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Sign of a quantity string ("-1", "0", "500m", "1Gi"); only the sign matters here. */
function quantitySign(q: unknown): number {
  const text = typeof q === 'number' ? String(q) : str(q);
  const match = /^([+-]?[0-9.]+)/.exec(text);
  const value = match ? Number(match[1]) : NaN;
  return Number.isNaN(value) ? 0 : Math.sign(value);
}

export function validateCrossVersionObjectReference(ref: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]);
    if (v === '') errs.push(required(path.child(f)));
    else errs.push(...each(path.child(f), v, pathSegmentName(v, false)));
  }
  return errs;
}

function validateMetricTarget(t: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t.type);
  if (type === '') errs.push(required(path.child('type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(invalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  if (present(t.value) && quantitySign(t.value) !== 1) errs.push(invalid(path.child('value'), t.value, 'must be positive'));
  if (present(t.averageValue) && quantitySign(t.averageValue) !== 1) errs.push(invalid(path.child('averageValue'), t.averageValue, 'must be positive'));
  const util = num(t.averageUtilization);
  if (util !== undefined && util < 1) errs.push(invalid(path.child('averageUtilization'), util, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(id: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(id.name);
  if (name === '') errs.push(required(path.child('name'), 'must specify a metric name'));
  else errs.push(...each(path.child('name'), name, pathSegmentName(name, false)));
  if (present(id.selector)) errs.push(...validateLabelSelector(id.selector as never, path.child('selector')));
  return errs;
}

function validateResourceLike(src: Obj, path: FieldPath, container: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (str(src.name) === '') errs.push(required(path.child('name'), 'must specify a resource name'));
  if (container) {
    const c = str(src.container);
    if (c === '') errs.push(required(path.child('container'), 'must specify a container'));
    else errs.push(...each(path.child('container'), c, isDNS1123Label(c)));
  }
  const target = o(src.target);
  errs.push(...validateMetricTarget(target, path.child('target')));
  if (!present(target.averageUtilization) && !present(target.averageValue)) {
    errs.push(required(path.child('target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (present(target.averageUtilization) && present(target.averageValue)) {
    errs.push(forbidden(path.child('target', 'averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

function validateSource(kind: string, src: Obj, path: FieldPath): FieldError[] {
  const target = o(src.target);
  switch (kind) {
    case 'object': {
      const errs = [...validateCrossVersionObjectReference(o(src.describedObject), path.child('describedObject'))];
      errs.push(...validateMetricIdentifier(o(src.metric), path.child('metric')), ...validateMetricTarget(target, path.child('target')));
      if (!present(target.value) && !present(target.averageValue)) errs.push(required(path.child('target', 'value'), 'must set either a target value or averageValue'));
      return errs;
    }
    case 'pods': {
      const errs = [...validateMetricIdentifier(o(src.metric), path.child('metric')), ...validateMetricTarget(target, path.child('target'))];
      if (!present(target.averageValue)) errs.push(required(path.child('target', 'averageValue'), 'must specify a positive target averageValue'));
      return errs;
    }
    case 'external': {
      const errs = [...validateMetricIdentifier(o(src.metric), path.child('metric')), ...validateMetricTarget(target, path.child('target'))];
      if (!present(target.value) && !present(target.averageValue)) errs.push(required(path.child('target', 'value'), 'must set either a target value for metric or a per-pod target'));
      if (present(target.value) && present(target.averageValue)) errs.push(forbidden(path.child('target', 'value'), 'may not set both a target value for metric and a per-pod target'));
      return errs;
    }
    case 'resource':
      return validateResourceLike(src, path, false);
    default:
      return validateResourceLike(src, path, true);
  }
}

const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateMetricSpec(m: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(m.type);
  if (type === '') errs.push(required(path.child('type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  const presentSources = ['object', 'pods', 'resource', 'external', 'containerResource'].filter((f) => present(m[f]));
  // Only the first populated source is validated in depth, like upstream.
  if (presentSources[0]) errs.push(...validateSource(presentSources[0], o(m[presentSources[0]]), path.child(presentSources[0])));
  const expected = SOURCE_FIELD[type];
  if (expected === undefined) errs.push(notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  else if (!present(m[expected])) errs.push(required(path.child(expected), 'must populate information for the given metric source'));
  if (presentSources.length !== 1) {
    for (const f of presentSources.filter((f) => f !== expected)) errs.push(forbidden(path.child(f), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: unknown, path: FieldPath): FieldError[] {
  if (!present(rules)) return [];
  const r = o(rules);
  const errs: FieldError[] = [];
  const window = num(r.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) errs.push(invalid(path.child('stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(invalid(path.child('stabilizationWindowSeconds'), window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (present(r.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(str(r.selectPolicy))) {
    errs.push(notSupported(path.child('selectPolicy'), r.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = arr(r.policies);
  if (policies.length === 0) errs.push(required(path.child('policies'), 'must specify at least one Policy'));
  policies.forEach((raw, i) => {
    const p = o(raw);
    const pp = path.child('policies').index(i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(pp.child('type'), p.type ?? '', ['Percent', 'Pods']));
    const value = num(p.value) ?? 0;
    if (value <= 0) errs.push(invalid(pp.child('value'), value, 'must be greater than zero'));
    const period = num(p.periodSeconds) ?? 0;
    if (period <= 0) errs.push(invalid(pp.child('periodSeconds'), period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(invalid(pp.child('periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

function validateHPASpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const min = num(s.minReplicas);
  const max = num(s.maxReplicas) ?? 0;
  if (min !== undefined && min < 1) errs.push(invalid(path.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  const refErrs = validateCrossVersionObjectReference(o(s.scaleTargetRef), path.child('scaleTargetRef'));
  if (refErrs.length > 0) return [...errs, ...refErrs];
  const metricErrs = arr(s.metrics).flatMap((m, i) => validateMetricSpec(o(m), path.child('metrics').index(i)));
  if (metricErrs.length > 0) return [...errs, ...metricErrs];
  const behavior = o(s.behavior);
  return [...errs, ...validateScalingRules(behavior.scaleUp, path.child('behavior', 'scaleUp')), ...validateScalingRules(behavior.scaleDown, path.child('behavior', 'scaleDown'))];
}

const hpa: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: (obj: KubeObject) => validateHPASpec(o(obj.spec), root('spec')),
  validateStatusUpdate(obj) {
    const st = o(obj.status);
    const status = root('status');
    return [...nonNegative(st.currentReplicas, status.child('currentReplicas')), ...nonNegative(st.desiredReplicas, status.child('desiredReplicas'))];
  },
};

export const autoscalingValidators: Record<string, GroupValidator> = { 'HorizontalPodAutoscaler.autoscaling': hpa };
