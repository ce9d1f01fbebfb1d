// batch/v1 Job (upstream pkg/apis/batch/validation, with the 1.32 strategy options: prefixed
// selector labels required, elastic indexed jobs allowed).
import { FieldPath, duplicate, invalid, notSupported, required, tooLong, tooMany, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validatePodTemplateSpec } from '../core/pod-spec.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1123Label, isDomainPrefixedPath, isQualifiedName, nameIsDNSSubdomain } from '../names.js';
import { templateLabelsMatch } from './apps.js';
import { arr, deepEqual, each, immutable, nonNegative, num, o, root, selectorMatches, str, strMap, type GroupValidator, type Obj } from './common.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-format.js';

const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_RULES = 20;
const MAX_EXIT_CODE_VALUES = 255;
const MAX_POD_CONDITION_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCESS_RULES = 20;

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Go's %q of a sorted []string, as in `valid values: ["Count" "FailJob"]`. */
const quotedList = (values: string[]): string => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
const goInt32Slice = (values: unknown): string => (Array.isArray(values) ? `[]int32{${values.join(', ')}}` : '[]int32(nil)');

function validatePodFailurePolicy(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(o(s.podFailurePolicy).rules);
  const rulesPath = path.child('rules');
  if (rules.length > MAX_POD_FAILURE_RULES) errs.push(tooMany(rulesPath, rules.length, MAX_POD_FAILURE_RULES));
  const podSpec = o(o(s.template).spec);
  const containerNames = new Set([...arr(podSpec.containers), ...arr(podSpec.initContainers)].map((c) => str(o(c).name)));
  rules.forEach((raw, i) => {
    const rule = o(raw);
    const rulePath = rulesPath.index(i);
    const action = str(rule.action);
    const actions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
    if (action === '') errs.push(required(rulePath.child('action'), `valid values: ${quotedList(actions)}`));
    else if (action === 'FailIndex') {
      if (!present(s.backoffLimitPerIndex)) errs.push(invalid(rulePath.child('action'), action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!actions.includes(action)) errs.push(notSupported(rulePath.child('action'), action, actions));

    const hasExitCodes = present(rule.onExitCodes);
    const conditions = arr(rule.onPodConditions);
    if (hasExitCodes) errs.push(...validateOnExitCodes(o(rule.onExitCodes), rulePath.child('onExitCodes'), containerNames));
    if (conditions.length > 0) errs.push(...validateOnPodConditions(conditions, rulePath.child('onPodConditions')));
    if (hasExitCodes && conditions.length > 0) {
      errs.push({ type: 'FieldValueInvalid', field: rulePath.toString(), omitValue: true, detail: 'specifying both OnExitCodes and OnPodConditions is not supported' });
    }
    if (!hasExitCodes && conditions.length === 0) {
      errs.push({ type: 'FieldValueInvalid', field: rulePath.toString(), omitValue: true, detail: 'specifying one of OnExitCodes and OnPodConditions is required' });
    }
  });
  return errs;
}

function validateOnExitCodes(req: Obj, path: FieldPath, containerNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const operator = str(req.operator);
  if (operator === '') errs.push(required(path.child('operator'), `valid values: ${quotedList(['In', 'NotIn'])}`));
  else if (operator !== 'In' && operator !== 'NotIn') errs.push(notSupported(path.child('operator'), operator, ['In', 'NotIn']));
  if (present(req.containerName) && !containerNames.has(str(req.containerName))) {
    errs.push(invalid(path.child('containerName'), req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = arr(req.values) as number[];
  const valuesPath = path.child('values');
  if (values.length === 0) errs.push(invalidRendered(valuesPath, req.values, goInt32Slice(req.values), 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODE_VALUES) errs.push(tooMany(valuesPath, values.length, MAX_EXIT_CODE_VALUES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    if (operator === 'In' && v === 0) errs.push(invalid(valuesPath.index(j), v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(duplicate(valuesPath.index(j), v));
    else seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  });
  if (!ordered) errs.push(invalidRendered(valuesPath, values, goInt32Slice(values), 'must be ordered'));
  return errs;
}

function validateOnPodConditions(patterns: unknown[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > MAX_POD_CONDITION_PATTERNS) errs.push(tooMany(path, patterns.length, MAX_POD_CONDITION_PATTERNS));
  const statuses = ['False', 'True', 'Unknown'];
  patterns.forEach((raw, j) => {
    const p = o(raw);
    const pp = path.index(j);
    errs.push(...each(pp.child('type'), str(p.type), isQualifiedName(str(p.type))));
    const st = str(p.status);
    if (st === '') errs.push(required(pp.child('status'), `valid values: ${quotedList(statuses)}`));
    else if (!statuses.includes(st)) errs.push(notSupported(pp.child('status'), st, statuses));
  });
  return errs;
}

/** validateJobSpec: everything but the selector (a CronJob's job template has none). */
export function validateJobSpecBody(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    if (present(s[f])) errs.push(...nonNegative(s[f], path.child(f)));
  }
  if (present(s.maxFailedIndexes)) {
    errs.push(...nonNegative(s.maxFailedIndexes, path.child('maxFailedIndexes')));
    if (!present(s.backoffLimitPerIndex)) errs.push(required(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (present(s.managedBy)) {
    const managedBy = str(s.managedBy);
    errs.push(...each(path.child('managedBy'), managedBy, isDomainPrefixedPath(managedBy)));
    if (managedBy.length > MAX_MANAGED_BY_LENGTH) errs.push(tooLong(path.child('managedBy'), managedBy, MAX_MANAGED_BY_LENGTH));
  }
  const mode = s.completionMode;
  const parallelism = num(s.parallelism);
  const completions = num(s.completions);
  const maxFailed = num(s.maxFailedIndexes);
  if (present(mode)) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(path.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (completions === undefined) errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
      if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
        errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, 'must be less than or equal to completions'));
      }
      if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
        errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
      if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && present(s.backoffLimitPerIndex)) {
        const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
        if (maxFailed === undefined) errs.push(required(path.child('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
        if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
          errs.push(invalid(path.child('parallelism'), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${suffix}`));
        }
        if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
          errs.push(invalid(path.child('maxFailedIndexes'), maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${suffix}`));
        }
      }
    }
  }
  if (!present(mode) || mode === 'NonIndexed') {
    if (present(s.backoffLimitPerIndex)) errs.push(invalid(path.child('backoffLimitPerIndex'), s.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (present(s.maxFailedIndexes)) errs.push(invalid(path.child('maxFailedIndexes'), s.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (present(s.podFailurePolicy)) errs.push(...validatePodFailurePolicy(s, path.child('podFailurePolicy')));
  if (present(s.successPolicy)) {
    if (mode !== 'Indexed') errs.push(invalidRendered(path.child('successPolicy'), s.successPolicy, 'batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{...}}', 'requires indexed completion mode'));
    else errs.push(...validateSuccessPolicy(s, path.child('successPolicy')));
  }
  if (present(s.podReplacementPolicy)) {
    const policy = str(s.podReplacementPolicy);
    const allowed = present(s.podFailurePolicy) ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(policy)) errs.push(notSupported(path.child('podReplacementPolicy'), policy, allowed));
  }

  const template = o(s.template);
  errs.push(...validatePodTemplateSpec(template as never, path.child('template')));
  const restartPolicy = str(o(template.spec).restartPolicy);
  const restartPath = path.child('template', 'spec', 'restartPolicy');
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(required(restartPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(notSupported(restartPath, restartPolicy, ['OnFailure', 'Never']));
  else if (present(s.podFailurePolicy) && restartPolicy !== 'Never') {
    errs.push(invalid(restartPath, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

function validateSuccessPolicy(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const rules = arr(o(s.successPolicy).rules);
  const rulesPath = path.child('rules');
  if (rules.length === 0) errs.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_RULES) errs.push(tooMany(rulesPath, rules.length, MAX_SUCCESS_RULES));
  const completions = num(s.completions) ?? 0;
  rules.forEach((raw, i) => {
    const rule = o(raw);
    const rp = rulesPath.index(i);
    if (!present(rule.succeededCount) && !present(rule.succeededIndexes)) {
      errs.push(required(rp, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    const count = num(rule.succeededCount);
    if (count !== undefined) {
      errs.push(...nonNegative(count, rp.child('succeededCount')));
      if (count > completions) {
        errs.push(invalid(rp.child('succeededCount'), count, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
    }
  });
  return errs;
}

/** ValidateHasLabel: the generated selector labels must be on the pod template. */
function hasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const path = root('spec').child('template', 'metadata', 'labels').key(key);
  const actual = labels?.[key];
  if (actual === undefined) return [required(path, `must be '${expected}'`)];
  if (actual !== expected) return [invalidRendered(path, labels, goStringMap(labels), `must be '${expected}'`)];
  return [];
}

function validateGeneratedSelector(obj: KubeObject, s: Obj): FieldError[] {
  if (s.manualSelector === true || !present(s.selector)) return [];
  const meta = obj.metadata ?? {};
  const uid = meta.uid ?? '';
  const name = meta.name ?? '';
  const errs: FieldError[] = [];
  if (uid === '') errs.push(required(root('metadata').child('uid')));
  const labels = strMap(o(o(s.template).metadata).labels);
  errs.push(...hasLabel(labels, 'controller-uid', uid), ...hasLabel(labels, 'job-name', name));
  errs.push(...hasLabel(labels, 'batch.kubernetes.io/controller-uid', uid), ...hasLabel(labels, 'batch.kubernetes.io/job-name', name));
  const expected = { 'controller-uid': uid, 'job-name': name, 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name };
  if (selectorMatches(s.selector, expected) === false) {
    errs.push(invalidRendered(root('spec').child('selector'), s.selector, goLabelSelector(o(s.selector)), '`selector` not auto-generated'));
  }
  return errs;
}

export function validateJob(obj: KubeObject): FieldError[] {
  const s = o(obj.spec);
  const spec = root('spec');
  const errs = validateGeneratedSelector(obj, s);
  errs.push(...validateJobSpecBody(s, spec));
  if (!present(s.selector)) errs.push(required(spec.child('selector')));
  else errs.push(...validateLabelSelector(s.selector as never, spec.child('selector')));
  if (selectorMatches(s.selector, {}) !== 'invalid') errs.push(...templateLabelsMatch(s.selector, o(s.template), spec.child('template')));
  const completions = num(s.completions);
  if (s.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    // Pods of an indexed job are named <job>-<index>; the last one must still be a DNS label.
    const name = obj.metadata?.name ?? '';
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(invalid(root('metadata').child('name'), name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/** Scheduling directives of a suspended, never-started job may change; nothing else in the template. */
function templateForImmutability(template: Obj, newTemplate: Obj): Obj {
  const meta = { ...o(template.metadata), labels: o(newTemplate.metadata).labels, annotations: o(newTemplate.metadata).annotations };
  const spec = { ...o(template.spec) };
  const newSpec = o(newTemplate.spec);
  for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) spec[f] = newSpec[f];
  const affinity = { ...o(spec.affinity), nodeAffinity: o(newSpec.affinity).nodeAffinity };
  spec.affinity = Object.values(affinity).some(present) ? affinity : newSpec.affinity === undefined ? undefined : affinity;
  return { ...template, metadata: meta, spec };
}

function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = o(obj.spec);
  const os = o(old.spec);
  const spec = root('spec');
  const errs: FieldError[] = [];
  // Completions of an Indexed job may change together with parallelism (elastic indexed jobs).
  if (s.completionMode === 'Indexed') {
    if (!deepEqual(s.completions, os.completions) && present(s.completions) && s.completions !== s.parallelism) {
      errs.push(invalid(spec.child('completions'), s.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else errs.push(...immutable(s.completions, os.completions, spec.child('completions')));
  errs.push(...immutable(s.selector, os.selector, spec.child('selector'), (v) => goLabelSelector(o(v))));
  const suspendedNeverStarted = os.suspend === true && !present(o(old.status).startTime);
  const oldTemplate = suspendedNeverStarted ? templateForImmutability(o(os.template), o(s.template)) : os.template;
  errs.push(...immutable(s.template, oldTemplate, spec.child('template'), () => 'core.PodTemplateSpec{...}'));
  errs.push(...immutable(s.completionMode, os.completionMode, spec.child('completionMode')));
  errs.push(...immutable(s.podFailurePolicy, os.podFailurePolicy, spec.child('podFailurePolicy'), () => 'batch.PodFailurePolicy{...}'));
  errs.push(...immutable(s.backoffLimitPerIndex, os.backoffLimitPerIndex, spec.child('backoffLimitPerIndex')));
  errs.push(...immutable(s.managedBy, os.managedBy, spec.child('managedBy')));
  errs.push(...immutable(s.successPolicy, os.successPolicy, spec.child('successPolicy'), () => 'batch.SuccessPolicy{...}'));
  return errs;
}

function validateJobStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const st = o(obj.status);
  const status = root('status');
  const errs = ['active', 'succeeded', 'failed', 'ready', 'terminating'].flatMap((f) => nonNegative(st[f], status.child(f)));
  const ready = num(st.ready);
  if (ready !== undefined && ready > (num(st.active) ?? 0)) errs.push(invalid(status.child('ready'), ready, 'cannot set more ready pods than active'));
  const oldSt = o(old.status);
  if ((num(st.failed) ?? 0) < (num(oldSt.failed) ?? 0)) errs.push(invalid(status.child('failed'), num(st.failed) ?? 0, 'cannot decrease the failed counter'));
  if ((num(st.succeeded) ?? 0) < (num(oldSt.succeeded) ?? 0)) {
    errs.push(invalid(status.child('succeeded'), num(st.succeeded) ?? 0, 'cannot decrease the succeeded counter'));
  }
  return errs;
}

export const jobValidators: Record<string, GroupValidator> = {
  'Job.batch': { nameValidator: nameIsDNSSubdomain, validate: validateJob, validateUpdate: validateJobUpdate, validateStatusUpdate: validateJobStatusUpdate },
};
