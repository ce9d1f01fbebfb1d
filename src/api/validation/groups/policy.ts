// policy/v1 PodDisruptionBudget (upstream pkg/apis/policy/validation). Since 1.15 the spec may be
// updated freely, so only create-style checks apply on update.
import { FieldPath, notSupported, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabelSelector } from '../meta.js';
import { nameIsDNSSubdomain } from '../names.js';
import { nonNegative, notMoreThan100Percent, o, root, validatePositiveIntOrPercent, type GroupValidator, type Obj } from './common.js';
import { goPointer, invalidRendered } from './go-format.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;

function renderSpec(s: Obj): string {
  return (
    `policy.PodDisruptionBudgetSpec{MinAvailable:${goPointer('intstr.IntOrString', present(s.minAvailable))}, ` +
    `Selector:${goPointer('v1.LabelSelector', present(s.selector))}, ` +
    `MaxUnavailable:${goPointer('intstr.IntOrString', present(s.maxUnavailable))}, ` +
    `UnhealthyPodEvictionPolicy:${goPointer('policy.UnhealthyPodEvictionPolicyType', present(s.unhealthyPodEvictionPolicy))}}`
  );
}

function validatePDBSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (present(s.minAvailable) && present(s.maxUnavailable)) {
    errs.push(invalidRendered(path, s, renderSpec(s), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!present(s[f])) continue;
    errs.push(...validatePositiveIntOrPercent(s[f], path.child(f)), ...notMoreThan100Percent(s[f], path.child(f)));
  }
  if (present(s.selector)) errs.push(...validateLabelSelector(s.selector as never, path.child('selector')));
  const policies = ['AlwaysAllow', 'IfHealthyBudget'];
  if (present(s.unhealthyPodEvictionPolicy) && !policies.includes(String(s.unhealthyPodEvictionPolicy))) {
    errs.push(notSupported(path.child('unhealthyPodEvictionPolicy'), s.unhealthyPodEvictionPolicy, policies));
  }
  return errs;
}

function validatePDBStatus(st: Obj, path: FieldPath): FieldError[] {
  return ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) => nonNegative(st[f], path.child(f)));
}

const pdb: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: (obj: KubeObject) => validatePDBSpec(o(obj.spec), root('spec')),
  validateStatusUpdate: (obj) => validatePDBStatus(o(obj.status), root('status')),
};

export const policyValidators: Record<string, GroupValidator> = { 'PodDisruptionBudget.policy': pdb };
