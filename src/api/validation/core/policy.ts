// LimitRange and ResourceQuota.
import type { LimitRange, ResourceQuota, ResourceQuotaSpec } from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, required, rootPath } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { FIELD_IMMUTABLE } from '../meta.js';
import { type Quantity, parseQuantity } from '../../units/quantity.js';
import { asArray, asRecord, validateQualifiedName } from './common.js';
import {
  isHugePageResourceName, isNativeResource, quantityAt, validateContainerResourceName, validateResourceName, validateResourceQuantityValue,
} from './resources.js';

const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

function validateLimitTypeName(value: string, path: FieldPath): FieldError[] {
  const errs = validateQualifiedName(value, path);
  if (errs.length) return errs;
  if (!value.includes('/') && !LIMIT_TYPES.includes(value)) errs.push(invalid(path, value, 'must be a standard limit type or fully qualified'));
  return errs;
}

const limitResourceName = (type: string, name: string, path: FieldPath): FieldError[] =>
  type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, path) : validateResourceName(name, path);

export function validateLimitRange(obj: KubeObject): FieldError[] {
  const lr = obj as LimitRange;
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  asArray(lr.spec?.limits).forEach((limit, i) => {
    const p = rootPath('spec').child('limits').index(i);
    const type = limit.type ?? '';
    errs.push(...validateLimitTypeName(type, p.child('type')));
    if (seenTypes.has(type)) errs.push(duplicate(p.child('type'), type));
    seenTypes.add(type);

    const keys = new Set<string>();
    const collect = (field: 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio'): Map<string, Quantity> => {
      const out = new Map<string, Quantity>();
      for (const [k, raw] of Object.entries(asRecord(limit[field] as Record<string, unknown> | undefined))) {
        const kp = p.child(field).key(k);
        errs.push(...limitResourceName(type, k, kp));
        keys.add(k);
        const q = quantityAt(raw, kp, errs);
        if (q) out.set(k, q);
      }
      return out;
    };
    const max = collect('max');
    const min = collect('min');
    let defaults = new Map<string, Quantity>();
    let defaultRequests = new Map<string, Quantity>();
    if (type === 'Pod') {
      if (Object.keys(asRecord(limit.default)).length) errs.push(forbidden(p.child('default'), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(asRecord(limit.defaultRequest)).length) errs.push(forbidden(p.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = collect('default');
      defaultRequests = collect('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage')) {
      errs.push(required(p.child('limits'), 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const ratios = collect('maxLimitRequestRatio');

    for (const k of keys) {
      const mn = min.get(k);
      const mx = max.get(k);
      const df = defaults.get(k);
      const dr = defaultRequests.get(k);
      const ratio = ratios.get(k);
      const at = (field: string): FieldPath => p.child(field).key(k);
      if (mn && mx && mn.cmp(mx) > 0) errs.push(invalid(at('min'), mn.toString(), `min value ${mn} is greater than max value ${mx}`));
      if (dr && mn && mn.cmp(dr) > 0) errs.push(invalid(at('defaultRequest'), dr.toString(), `min value ${mn} is greater than default request value ${dr}`));
      if (dr && mx && dr.cmp(mx) > 0) errs.push(invalid(at('defaultRequest'), dr.toString(), `default request value ${dr} is greater than max value ${mx}`));
      if (dr && df && dr.cmp(df) > 0) errs.push(invalid(at('defaultRequest'), dr.toString(), `default request value ${dr} is greater than default limit value ${df}`));
      if (df && mn && mn.cmp(df) > 0) errs.push(invalid(at('default'), mn.toString(), `min value ${mn} is greater than default value ${df}`));
      if (df && mx && df.cmp(mx) > 0) errs.push(invalid(at('default'), mx.toString(), `default value ${df} is greater than max value ${mx}`));
      if (ratio && ratio.cmp(parseQuantity('1')) < 0) errs.push(invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is less than 1`));
      if (ratio && mn && mx) {
        const limitRatio = Number(mx.milliValue()) / Number(mn.milliValue());
        if (Number(ratio.milliValue()) / 1000 > limitRatio) {
          errs.push(invalid(at('maxLimitRequestRatio'), ratio.toString(), `ratio ${ratio} is greater than max/min = ${limitRatio.toFixed(6)}`));
        }
      }
      const overcommit = isNativeResource(k) && !isHugePageResourceName(k);
      if (!overcommit && df && dr && df.cmp(dr) !== 0) {
        errs.push(invalid(at('defaultRequest'), dr.toString(), `default value ${df} must equal to defaultRequest value ${dr} in ${k}`));
      }
    }
  });
  return errs;
}

const STANDARD_QUOTA_RESOURCES = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const isStandardQuotaResource = (name: string): boolean => STANDARD_QUOTA_RESOURCES.has(name) || name.startsWith('requests.hugepages-');
const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const COMPUTE_QUOTA_RESOURCES = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

function scopeAllows(scope: string, resource: string): boolean {
  if (scope === 'BestEffort' || scope === 'CrossNamespacePodAffinity') return resource === 'pods';
  return resource === 'pods' || COMPUTE_QUOTA_RESOURCES.has(resource);
}

function validateQuotaResources(hard: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(hard)) {
    const p = path.key(name);
    errs.push(...validateResourceName(name, p));
    if (!name.includes('/') && !isStandardQuotaResource(name)) errs.push(invalid(p, name, 'must be a standard resource for quota'));
    const q = quantityAt(raw, p, errs);
    if (q) errs.push(...validateResourceQuantityValue(name, q, p));
  }
  return errs;
}

function validateQuotaSpec(s: ResourceQuotaSpec, path: FieldPath): FieldError[] {
  const errs = validateQuotaResources(asRecord(s.hard as Record<string, unknown> | undefined), path.child('hard'));
  const scopes = asArray(s.scopes);
  const scopesPath = path.child('scopes');
  const hardNames = Object.keys(asRecord(s.hard)).sort();
  for (const scope of scopes) {
    if (!QUOTA_SCOPES.includes(scope)) errs.push(invalid(scopesPath, scopes, 'unsupported scope'));
    for (const k of hardNames) {
      if (isStandardQuotaResource(k) && !scopeAllows(scope, k)) errs.push(invalid(scopesPath, scopes, 'unsupported scope applied to resource'));
    }
  }
  const has = (x: string): boolean => scopes.includes(x);
  if ((has('BestEffort') && has('NotBestEffort')) || (has('Terminating') && has('NotTerminating'))) {
    errs.push(invalid(scopesPath, scopes, 'conflicting scopes'));
  }
  const sel = s.scopeSelector;
  if (sel) {
    const sp = path.child('scopeSelector', 'matchExpressions');
    asArray(sel.matchExpressions).forEach((req, i) => {
      const rp = sp.index(i);
      if (!QUOTA_SCOPES.includes(req.scopeName)) errs.push(invalid(rp.child('scopeName'), req.scopeName, 'unsupported scope'));
      const values = asArray(req.values);
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (!values.length) errs.push(required(rp.child('values'), 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
      } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
        if (values.length) errs.push(invalid(rp.child('values'), values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
      } else {
        errs.push(invalid(rp.child('operator'), req.operator, 'not a valid selector operator'));
      }
    });
  }
  return errs;
}

export function validateResourceQuota(obj: KubeObject): FieldError[] {
  const rq = obj as ResourceQuota;
  return [
    ...validateQuotaSpec(rq.spec ?? {}, rootPath('spec')),
    ...validateQuotaResources(asRecord(rq.status?.hard as Record<string, unknown> | undefined), rootPath('status').child('hard')),
    ...validateQuotaResources(asRecord(rq.status?.used as Record<string, unknown> | undefined), rootPath('status').child('used')),
  ];
}

export function validateResourceQuotaUpdate(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const now = new Set(asArray((obj as ResourceQuota).spec?.scopes));
  const old = new Set(asArray((oldObj as ResourceQuota).spec?.scopes));
  if (now.size === old.size && [...now].every((s) => old.has(s))) return [];
  return [invalid(rootPath('spec').child('scopes'), asArray((obj as ResourceQuota).spec?.scopes), FIELD_IMMUTABLE)];
}

