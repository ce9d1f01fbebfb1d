// apps/v1 Deployment, ReplicaSet, DaemonSet and ControllerRevision (upstream pkg/apis/apps/validation
// plus the apps/v1-only selector immutability from the registry strategies).
import { FieldPath, forbidden, invalid, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validatePodTemplateSpec } from '../core/pod-spec.js';
import { validateLabelSelector } from '../meta.js';
import { nameIsDNSSubdomain } from '../names.js';
import {
  immutable,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  num,
  o,
  root,
  selectorIsEmpty,
  selectorMatches,
  strMap,
  validatePositiveIntOrPercent,
  type GroupValidator,
  type Obj,
} from './common.js';
import { goIntOrString, goLabelSelector, goPointer, goQuote, goStringMap, invalidRendered, notSupportedRendered } from './go-format.js';

const spec = root('spec');
const status = root('status');

/** Selector present, valid, non-empty; shared by Deployment, ReplicaSet and StatefulSet. */
export function validateControllerSelector(selector: unknown, path: FieldPath, kindWord: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(path)];
  const errs = validateLabelSelector(selector as never, path);
  if (selectorIsEmpty(selector)) errs.push(invalidRendered(path, selector, goLabelSelector(o(selector)), `empty selector is invalid for ${kindWord}`));
  return errs;
}

/** "`selector` does not match template `labels`" unless the selector selects everything. */
export function templateLabelsMatch(selector: unknown, template: Obj, templatePath: FieldPath): FieldError[] {
  const labels = strMap(o(template.metadata).labels);
  const isEverything = selector !== undefined && selector !== null && selectorIsEmpty(selector);
  if (isEverything) return [];
  if (selectorMatches(selector, labels) === false) {
    return [invalidRendered(templatePath.child('metadata', 'labels'), labels ?? null, goStringMap(labels), '`selector` does not match template `labels`')];
  }
  return [];
}

/** ValidatePodTemplateSpecForReplicaSet: the template of a ReplicaSet/Deployment (restartPolicy Always only). */
function validateTemplateForReplicaSet(selector: unknown, template: Obj, path: FieldPath, kindName: string): FieldError[] {
  const errs = templateLabelsMatch(selector, template, path);
  errs.push(...validatePodTemplateSpec(template as never, path));
  errs.push(...alwaysRestartOnly(template, path, kindName));
  return errs;
}

/** Long-running controllers accept only restartPolicy Always and no activeDeadlineSeconds. */
export function alwaysRestartOnly(template: Obj, path: FieldPath, kindName: string): FieldError[] {
  const errs: FieldError[] = [];
  const podSpec = o(template.spec);
  const policy = podSpec.restartPolicy ?? '';
  if (policy !== 'Always') {
    errs.push({ type: 'FieldValueNotSupported', field: path.child('spec', 'restartPolicy').toString(), value: policy, detail: 'supported values: "Always"' });
  }
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(path.child('spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindName} is not Supported`));
  }
  return errs;
}

function selectorConversionFails(selector: unknown): boolean {
  return selector !== undefined && selector !== null && selectorMatches(selector, {}) === 'invalid';
}

// ---------------- Deployment ----------------

function validateRollingUpdateDeployment(ru: Obj, path: FieldPath): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, path.child('maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, path.child('maxSurge')),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalidRendered(path.child('maxUnavailable'), ru.maxUnavailable, goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...notMoreThan100Percent(ru.maxUnavailable, path.child('maxUnavailable')));
  return errs;
}

function validateDeploymentStrategy(strategy: Obj, path: FieldPath): FieldError[] {
  const type = strategy.type;
  const hasRolling = strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null;
  if (type === 'Recreate') {
    return hasRolling ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (type === 'RollingUpdate') {
    if (!hasRolling) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
    return validateRollingUpdateDeployment(o(strategy.rollingUpdate), path.child('rollingUpdate'));
  }
  const rendered = `apps.DeploymentStrategy{Type:${goQuote(String(type ?? ''))}, RollingUpdate:${goPointer('apps.RollingUpdateDeployment', hasRolling)}}`;
  return [notSupportedRendered(path, strategy, rendered, ['Recreate', 'RollingUpdate'])];
}

export function validateDeploymentSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs = nonNegative(s.replicas, path.child('replicas'));
  errs.push(...validateControllerSelector(s.selector, path.child('selector'), 'deployment'));
  if (selectorConversionFails(s.selector)) {
    errs.push(invalidRendered(path.child('selector'), s.selector, goLabelSelector(o(s.selector)), 'invalid label selector'));
  } else {
    errs.push(...validateTemplateForReplicaSet(s.selector, o(s.template), path.child('template'), 'ReplicaSet'));
  }
  errs.push(...validateDeploymentStrategy(o(s.strategy), path.child('strategy')));
  errs.push(...nonNegative(s.minReadySeconds, path.child('minReadySeconds')));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null) {
    errs.push(...nonNegative(s.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  }
  const deadline = num(s.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errs.push(...nonNegative(deadline, path.child('progressDeadlineSeconds')));
    if (deadline <= (num(s.minReadySeconds) ?? 0)) {
      errs.push(invalid(path.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** Counters every workload status carries, each non-negative and bounded by status.replicas. */
function validateReplicaCounters(st: Obj, path: FieldPath, bounded: string[], readyWord: string): FieldError[] {
  const errs: FieldError[] = [];
  const replicas = num(st.replicas) ?? 0;
  for (const name of bounded) {
    const v = num(st[name]) ?? 0;
    if (v > replicas) errs.push(invalid(path.child(name), v, 'cannot be greater than status.replicas'));
  }
  const available = num(st.availableReplicas) ?? 0;
  if (bounded.includes('availableReplicas') && available > (num(st.readyReplicas) ?? 0)) {
    errs.push(invalid(path.child('availableReplicas'), available, `cannot be greater than ${readyWord}`));
  }
  return errs;
}

function nonNegatives(st: Obj, path: FieldPath, names: string[]): FieldError[] {
  return names.flatMap((n) => nonNegative(st[n], path.child(n)));
}

/** IsDecremented for status.collisionCount. */
export function collisionCountDecrement(st: Obj, oldSt: Obj): FieldError[] {
  const now = num(st.collisionCount);
  const before = num(oldSt.collisionCount);
  if (before === undefined) return [];
  if (now === undefined || now < before) return [invalid(status.child('collisionCount'), now ?? 0, 'cannot be decremented')];
  return [];
}

const deployment: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: (obj) => validateDeploymentSpec(o(obj.spec), spec),
  validateUpdate: (obj, old) => immutable(o(obj.spec).selector, o(old.spec).selector, spec.child('selector'), (v) => goLabelSelector(o(v))),
  validateStatusUpdate(obj, old) {
    const st = o(obj.status);
    const errs = nonNegatives(st, status, ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']);
    errs.push(...validateReplicaCounters(st, status, ['updatedReplicas', 'readyReplicas', 'availableReplicas'], 'readyReplicas'));
    errs.push(...collisionCountDecrement(st, o(old.status)));
    return errs;
  },
};

// ---------------- ReplicaSet ----------------

const replicaSet: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj) {
    const s = o(obj.spec);
    const errs = [...nonNegative(s.replicas, spec.child('replicas')), ...nonNegative(s.minReadySeconds, spec.child('minReadySeconds'))];
    errs.push(...validateControllerSelector(s.selector, spec.child('selector'), 'deployment'));
    if (selectorConversionFails(s.selector)) {
      errs.push(invalidRendered(spec.child('selector'), s.selector, goLabelSelector(o(s.selector)), 'invalid label selector'));
    } else {
      errs.push(...validateTemplateForReplicaSet(s.selector, o(s.template), spec.child('template'), 'ReplicaSet'));
    }
    return errs;
  },
  validateUpdate: (obj, old) => immutable(o(obj.spec).selector, o(old.spec).selector, spec.child('selector'), (v) => goLabelSelector(o(v))),
  validateStatusUpdate(obj) {
    const st = o(obj.status);
    const errs = nonNegatives(st, status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']);
    errs.push(...validateReplicaCounters(st, status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'], 'readyReplicas'));
    return errs;
  },
};

// ---------------- DaemonSet ----------------

function validateDaemonSetUpdateStrategy(strategy: Obj, path: FieldPath): FieldError[] {
  const hasRolling = strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null;
  if (strategy.type === 'OnDelete') return [];
  if (strategy.type === 'RollingUpdate') {
    if (!hasRolling) return [required(path.child('rollingUpdate'))];
    const ru = o(strategy.rollingUpdate);
    const rp = path.child('rollingUpdate');
    const errs = [
      ...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child('maxUnavailable')),
      ...validatePositiveIntOrPercent(ru.maxSurge, rp.child('maxSurge')),
      ...notMoreThan100Percent(ru.maxUnavailable, rp.child('maxUnavailable')),
      ...notMoreThan100Percent(ru.maxSurge, rp.child('maxSurge')),
    ];
    const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
    if (hasUnavailable && hasSurge) {
      errs.push(invalidRendered(rp.child('maxSurge'), ru.maxSurge, goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
    } else if (!hasUnavailable && !hasSurge) {
      errs.push(required(rp.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
    }
    return errs;
  }
  const rendered = `apps.DaemonSetUpdateStrategy{Type:${goQuote(String(strategy.type ?? ''))}, RollingUpdate:${goPointer('apps.RollingUpdateDaemonSet', hasRolling)}}`;
  return [notSupportedRendered(path, strategy, rendered, ['RollingUpdate', 'OnDelete'])];
}

function validateDaemonSetSpec(s: Obj, path: FieldPath): FieldError[] {
  // Upstream has no Required check here: a missing selector selects nothing, so only the
  // template-labels mismatch is reported.
  const errs: FieldError[] = [];
  if (s.selector !== undefined && s.selector !== null) errs.push(...validateLabelSelector(s.selector as never, path.child('selector')));
  const template = o(s.template);
  if (!selectorConversionFails(s.selector)) {
    const labels = strMap(o(template.metadata).labels);
    if (selectorMatches(s.selector, labels) === false) {
      errs.push(invalidRendered(path.child('template', 'metadata', 'labels'), labels ?? null, goStringMap(labels), '`selector` does not match template `labels`'));
    }
  }
  if (s.selector && selectorIsEmpty(s.selector)) {
    errs.push(invalidRendered(path.child('selector'), s.selector, goLabelSelector(o(s.selector)), 'empty selector is invalid for daemonset'));
  }
  errs.push(...validatePodTemplateSpec(template as never, path.child('template')));
  errs.push(...alwaysRestartOnly(template, path.child('template'), 'DaemonSet'));
  errs.push(...nonNegative(s.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...nonNegative(s.templateGeneration, path.child('templateGeneration')));
  errs.push(...validateDaemonSetUpdateStrategy(o(s.updateStrategy), path.child('updateStrategy')));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null) {
    errs.push(...nonNegative(s.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  }
  return errs;
}

const daemonSet: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate: (obj) => validateDaemonSetSpec(o(obj.spec), spec),
  validateUpdate: (obj, old) => immutable(o(obj.spec).selector, o(old.spec).selector, spec.child('selector'), (v) => goLabelSelector(o(v))),
  validateStatusUpdate(obj, old) {
    const st = o(obj.status);
    const errs = nonNegatives(st, status, [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
    ]);
    errs.push(...collisionCountDecrement(st, o(old.status)));
    return errs;
  },
};

// ---------------- ControllerRevision ----------------

const controllerRevision: GroupValidator = {
  nameValidator: nameIsDNSSubdomain,
  validate(obj: KubeObject) {
    const errs: FieldError[] = [];
    if (obj.data === undefined || obj.data === null) errs.push(required(root('data'), 'data is mandatory'));
    errs.push(...nonNegative(obj.revision, root('revision')));
    return errs;
  },
  // Upstream prints the stored runtime.Object with %#v (raw bytes); we print its JSON instead.
  validateUpdate: (obj, old) => immutable(obj.data, old.data, root('data'), (v) => `&runtime.Unknown{Raw:${JSON.stringify(JSON.stringify(v ?? null))}}`),
};

export const appsValidators: Record<string, GroupValidator> = {
  'Deployment.apps': deployment,
  'ReplicaSet.apps': replicaSet,
  'DaemonSet.apps': daemonSet,
  'ControllerRevision.apps': controllerRevision,
};
