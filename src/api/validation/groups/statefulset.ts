// apps/v1 StatefulSet. Upstream validates only the template's labels (not its pod spec: the claims
// from volumeClaimTemplates would make volume checks fail), and forbids most spec updates.
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../field-errors.js';
import { validateLabels } from '../meta.js';
import { nameIsDNSLabel } from '../names.js';
import { alwaysRestartOnly, collisionCountDecrement, templateLabelsMatch, validateControllerSelector } from './apps.js';
import {
  deepEqual,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  num,
  o,
  root,
  selectorMatches,
  strMap,
  validatePositiveIntOrPercent,
  type GroupValidator,
  type Obj,
} from './common.js';
import { goIntOrString, goLabelSelector, goPointer, goQuote, invalidRendered } from './go-format.js';

const spec = root('spec');
const status = root('status');

function renderRollingUpdate(ru: Obj): string {
  const present = ru.maxUnavailable !== undefined && ru.maxUnavailable !== null;
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${num(ru.partition) ?? 0}, MaxUnavailable:${goPointer('intstr.IntOrString', present)}}`;
}

function validateUpdateStrategy(strategy: Obj, path: FieldPath): FieldError[] {
  const hasRolling = strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null;
  const ru = o(strategy.rollingUpdate);
  switch (strategy.type ?? '') {
    case '':
      return [required(path)];
    case 'OnDelete':
      return hasRolling ? [invalidRendered(path.child('rollingUpdate'), ru, renderRollingUpdate(ru), "only allowed for updateStrategy 'RollingUpdate'")] : [];
    case 'RollingUpdate': {
      if (!hasRolling) return [];
      const rp = path.child('rollingUpdate');
      const errs = nonNegative(ru.partition, rp.child('partition'));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const mp = rp.child('maxUnavailable');
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, mp));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidRendered(mp, ru.maxUnavailable, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, mp));
      }
      return errs;
    }
    default: {
      const rendered = `apps.StatefulSetUpdateStrategy{Type:${goQuote(String(strategy.type))}, RollingUpdate:${goPointer('apps.RollingUpdateStatefulSetStrategy', hasRolling)}}`;
      return [invalidRendered(path, strategy, rendered, "must be 'RollingUpdate' or 'OnDelete'")];
    }
  }
}

function validateRetentionPolicy(policy: unknown, path: FieldPath): FieldError[] {
  if (policy === undefined || policy === null) return [];
  const p = o(policy);
  const errs: FieldError[] = [];
  for (const name of ['whenDeleted', 'whenScaled']) {
    const v = p[name] ?? '';
    if (v !== 'Retain' && v !== 'Delete') errs.push(notSupported(path.child(name), v, ['Retain', 'Delete']));
  }
  return errs;
}

export function validateStatefulSetSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const policy = s.podManagementPolicy ?? '';
  if (policy === '') errs.push(required(path.child('podManagementPolicy')));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(invalid(path.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(o(s.updateStrategy), path.child('updateStrategy')));
  errs.push(...validateRetentionPolicy(s.persistentVolumeClaimRetentionPolicy, path.child('persistentVolumeClaimRetentionPolicy')));
  errs.push(...nonNegative(s.replicas, path.child('replicas')));
  errs.push(...nonNegative(s.minReadySeconds, path.child('minReadySeconds')));
  if (s.ordinals !== undefined && s.ordinals !== null) errs.push(...nonNegative(o(s.ordinals).start, path.child('ordinals', 'start')));

  errs.push(...validateControllerSelector(s.selector, path.child('selector'), 'statefulset'));
  const template = o(s.template);
  if (s.selector !== undefined && s.selector !== null && selectorMatches(s.selector, {}) === 'invalid') {
    errs.push(invalidRendered(path.child('selector'), s.selector, goLabelSelector(o(s.selector))));
  } else {
    errs.push(...templateLabelsMatch(s.selector, template, path.child('template')));
    // Upstream checks the template labels at template.labels (not template.metadata.labels).
    const labels = strMap(o(template.metadata).labels);
    if (labels) errs.push(...validateLabels(labels, path.child('template', 'labels')));
  }
  errs.push(...alwaysRestartOnly(template, path.child('template'), 'StatefulSet'));
  return errs;
}

/** Fields a StatefulSet update may change; everything else in spec is fixed at creation. */
const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function withoutMutable(s: Obj): Obj {
  const copy: Obj = { ...s };
  for (const f of MUTABLE_SPEC_FIELDS) delete copy[f];
  return copy;
}

const statefulSet: GroupValidator = {
  nameValidator: nameIsDNSLabel,
  validate: (obj) => validateStatefulSetSpec(o(obj.spec), spec),
  validateUpdate(obj, old) {
    if (deepEqual(withoutMutable(o(obj.spec)), withoutMutable(o(old.spec)))) return [];
    return [
      forbidden(
        spec,
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    ];
  },
  validateStatusUpdate(obj, old) {
    const st = o(obj.status);
    const names = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'];
    const errs = names.flatMap((n) => nonNegative(st[n], status.child(n)));
    const replicas = num(st.replicas) ?? 0;
    for (const n of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
      const v = num(st[n]) ?? 0;
      if (v > replicas) errs.push(invalid(status.child(n), v, 'cannot be greater than status.replicas'));
    }
    const available = num(st.availableReplicas) ?? 0;
    if (available > (num(st.readyReplicas) ?? 0)) errs.push(invalid(status.child('availableReplicas'), available, 'cannot be greater than status.readyReplicas'));
    errs.push(...collisionCountDecrement(st, o(old.status)));
    return errs;
  },
};

export const statefulSetValidators: Record<string, GroupValidator> = { 'StatefulSet.apps': statefulSet };
