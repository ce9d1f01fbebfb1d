// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding
// (upstream pkg/apis/rbac/validation). Names only need to be valid path segments.
import { FieldPath, notSupported, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1123Subdomain, pathSegmentName } from '../names.js';
import { arr, each, o, root, selectorMatches, str, type GroupValidator, type Obj } from './common.js';
import { goLabelSelector, goQuote, goStringSlice, invalidRendered } from './go-format.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: Obj, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(rule.verbs).length === 0) errs.push(required(path.child('verbs'), 'verbs must contain at least one value'));
  const urls = arr(rule.nonResourceURLs) as string[];
  if (urls.length > 0) {
    if (namespaced) errs.push(invalidRendered(path.child('nonResourceURLs'), urls, goStringSlice(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (arr(rule.apiGroups).length > 0 || arr(rule.resources).length > 0 || arr(rule.resourceNames).length > 0) {
      errs.push(invalidRendered(path.child('nonResourceURLs'), urls, goStringSlice(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (arr(rule.apiGroups).length === 0) errs.push(required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (arr(rule.resources).length === 0) errs.push(required(path.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return arr(obj.rules).flatMap((r, i) => validatePolicyRule(o(r), namespaced, root('rules').index(i)));
}

function validateAggregationRule(obj: KubeObject): FieldError[] {
  if (obj.aggregationRule === undefined || obj.aggregationRule === null) return [];
  const path = root('aggregationRule').child('clusterRoleSelectors');
  const selectors = arr(o(obj.aggregationRule).clusterRoleSelectors);
  const errs: FieldError[] = [];
  if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  selectors.forEach((sel, i) => {
    errs.push(...validateLabelSelector(sel as never, path.index(i)));
    if (selectorMatches(sel, {}) === 'invalid') errs.push(invalidRendered(path.index(i), sel, goLabelSelector(o(sel)), 'invalid label selector.'));
  });
  return errs;
}

function validateSubject(subject: Obj, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject.name);
  const apiGroup = str(subject.apiGroup);
  if (name === '') errs.push(required(path.child('name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name !== '') errs.push(...each(path.child('name'), name, isDNS1123Subdomain(name)));
      if (apiGroup !== '') errs.push(notSupported(path.child('apiGroup'), apiGroup, ['']));
      if (!namespaced && str(subject.namespace) === '') errs.push(required(path.child('namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(path.child('apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(path.child('kind'), subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = o(obj.roleRef);
  const refPath = root('roleRef');
  const apiGroup = str(ref.apiGroup);
  if (apiGroup !== RBAC_GROUP) errs.push(notSupported(refPath.child('apiGroup'), apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = str(ref.kind);
  if (!kinds.includes(kind)) errs.push(notSupported(refPath.child('kind'), kind, kinds));
  const name = str(ref.name);
  if (name === '') errs.push(required(refPath.child('name')));
  else errs.push(...each(refPath.child('name'), name, pathSegmentName(name, false)));
  arr(obj.subjects).forEach((s, i) => errs.push(...validateSubject(o(s), namespaced, root('subjects').index(i))));
  return errs;
}

/** The role a binding grants is fixed; upstream prints the whole new RoleRef. */
function roleRefUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = o(obj.roleRef);
  const before = o(old.roleRef);
  const same = ['apiGroup', 'kind', 'name'].every((f) => str(now[f]) === str(before[f]));
  if (same) return [];
  const rendered = `rbac.RoleRef{APIGroup:${goQuote(str(now.apiGroup))}, Kind:${goQuote(str(now.kind))}, Name:${goQuote(str(now.name))}}`;
  return [invalidRendered(root('roleRef'), now, rendered, 'cannot change roleRef')];
}

export const rbacValidators: Record<string, GroupValidator> = {
  'Role.rbac.authorization.k8s.io': { nameValidator: pathSegmentName, validate: (obj) => validateRules(obj, true) },
  'ClusterRole.rbac.authorization.k8s.io': {
    nameValidator: pathSegmentName,
    validate: (obj) => [...validateRules(obj, false), ...validateAggregationRule(obj)],
  },
  'RoleBinding.rbac.authorization.k8s.io': { nameValidator: pathSegmentName, validate: (obj) => validateBinding(obj, true), validateUpdate: roleRefUnchanged },
  'ClusterRoleBinding.rbac.authorization.k8s.io': {
    nameValidator: pathSegmentName,
    validate: (obj) => validateBinding(obj, false),
    validateUpdate: roleRefUnchanged,
  },
};


