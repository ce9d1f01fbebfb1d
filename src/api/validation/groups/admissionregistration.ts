// admissionregistration.k8s.io/v1 webhook configurations and ValidatingAdmissionPolicy(Binding)
// (upstream pkg/apis/admissionregistration/validation). CEL expressions are not compiled here.
import { FieldPath, duplicate, invalid, notSupported, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { validateLabelSelector } from '../meta.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortNum, nameIsDNSSubdomain } from '../names.js';
import { arr, num, o, root, str, type GroupValidator, type Obj } from './common.js';
import { goStringSlice, invalidRendered } from './go-format.js';

const present = (v: unknown): boolean => v !== undefined && v !== null;
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const URL_FORM = '; desired format: https://host[/path]';

/** IsFullyQualifiedName: a DNS subdomain with at least three segments. */
function fullyQualifiedName(path: FieldPath, name: string): FieldError[] {
  if (name === '') return [required(path)];
  const msgs = isDNS1123Subdomain(name);
  if (msgs.length > 0) return [invalid(path, name, msgs.join(','))];
  if (name.split('.').length < 3) return [invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateResources(resources: string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(path));
  const wildcardSubOf = new Set<string>();
  const wildcardResOf = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let plainResource = false;
  resources.forEach((r, i) => {
    if (r === '') return errs.push(required(path.index(i)));
    if (r === '*/*') doubleWildcard = true;
    if (r === '*') singleWildcard = true;
    const slash = r.indexOf('/');
    if (slash < 0) {
      plainResource = r !== '*';
      return;
    }
    const res = r.slice(0, slash);
    const sub = r.slice(slash + 1);
    if (wildcardSubOf.has(res)) errs.push(invalid(path.index(i), r, `if '${res}/*' is present, must not specify ${r}`));
    if (wildcardResOf.has(sub)) errs.push(invalid(path.index(i), r, `if '*/${sub}' is present, must not specify ${r}`));
    if (sub === '*') wildcardSubOf.add(res);
    if (res === '*') wildcardResOf.add(sub);
    return undefined;
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalidRendered(path, resources, goStringSlice(resources), "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && plainResource) {
    errs.push(invalidRendered(path, resources, goStringSlice(resources), "if '*' is present, must not specify other resources without subresources"));
  }
  return errs;
}

function validateRule(rule: Obj, path: FieldPath, withOperations: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (withOperations) {
    const ops = arr(rule.operations).map(str);
    if (ops.length === 0) errs.push(required(path.child('operations')));
    if (ops.length > 1 && ops.includes('*')) errs.push(invalidRendered(path.child('operations'), ops, `[]admissionregistration.OperationType{${ops.map((x) => JSON.stringify(x)).join(', ')}}`, "if '*' is present, must not specify other operations"));
    ops.forEach((op, i) => {
      if (!OPERATIONS.includes(op)) errs.push(notSupported(path.child('operations').index(i), op, OPERATIONS));
    });
  }
  const groups = arr(rule.apiGroups).map(str);
  if (groups.length === 0) errs.push(required(path.child('apiGroups')));
  if (groups.length > 1 && groups.includes('*')) errs.push(invalidRendered(path.child('apiGroups'), groups, goStringSlice(groups), "if '*' is present, must not specify other API groups"));
  const versions = arr(rule.apiVersions).map(str);
  if (versions.length === 0) errs.push(required(path.child('apiVersions')));
  if (versions.length > 1 && versions.includes('*')) errs.push(invalidRendered(path.child('apiVersions'), versions, goStringSlice(versions), "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(path.child('apiVersions').index(i)));
  });
  errs.push(...validateResources(arr(rule.resources).map(str), path.child('resources')));
  if (present(rule.scope) && !SCOPES.includes(str(rule.scope))) errs.push(notSupported(path.child('scope'), rule.scope, SCOPES));
  return errs;
}

function validateWebhookURL(path: FieldPath, text: string): FieldError[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [invalid(path, '', `host must be specified${URL_FORM}`)];
  }
  const errs: FieldError[] = [];
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'https') errs.push(invalid(path, scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (url.host === '') errs.push(invalid(path, url.host, `host must be specified${URL_FORM}`));
  if (url.username !== '' || url.password !== '') {
    errs.push(invalid(path, url.password ? `${url.username}:${url.password}` : url.username, 'user information is not permitted in the URL'));
  }
  if (url.hash.length > 1) errs.push(invalid(path, url.hash.slice(1), 'fragments are not permitted in the URL'));
  if (url.search.length > 1) errs.push(invalid(path, url.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

function validateWebhookService(path: FieldPath, service: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (str(service.name) === '') errs.push(required(path.child('name'), 'service name is required'));
  if (str(service.namespace) === '') errs.push(required(path.child('namespace'), 'service namespace is required'));
  const port = num(service.port) ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) errs.push(invalid(path.child('port'), port, `port is not valid: ${portErrs.join(', ')}`));
  if (!present(service.path)) return errs;
  const urlPath = str(service.path);
  if (urlPath === '/' || urlPath === '') return errs;
  if (urlPath === '//') return [...errs, invalid(path.child('path'), urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(invalid(path.child('path'), urlPath, "must start with a '/'"));
  let check = urlPath.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') return errs.push(invalid(path.child('path'), urlPath, `segment[${i}] may not be empty`));
    for (const m of isDNS1123Subdomain(step)) errs.push(invalid(path.child('path'), urlPath, `segment[${i}]: ${m}`));
    return undefined;
  });
  return errs;
}

function validateReviewVersions(versions: string[], path: FieldPath): FieldError[] {
  if (versions.length === 0) return [required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) return errs.push(invalid(path.index(i), v, 'duplicate version'));
    seen.add(v);
    for (const m of isDNS1035Label(v)) errs.push(invalid(path.index(i), v, m));
    if (REVIEW_VERSIONS.includes(v)) accepted = true;
    return undefined;
  });
  if (!accepted) errs.push(invalidRendered(path, versions, goStringSlice(versions), `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  return errs;
}

function validateWebhook(hook: Obj, path: FieldPath, mutating: boolean): FieldError[] {
  const errs = fullyQualifiedName(path.child('name'), str(hook.name));
  arr(hook.rules).forEach((r, i) => errs.push(...validateRule(o(r), path.child('rules').index(i), true)));
  if (present(hook.failurePolicy) && !FAILURE_POLICIES.includes(str(hook.failurePolicy))) errs.push(notSupported(path.child('failurePolicy'), hook.failurePolicy, FAILURE_POLICIES));
  if (present(hook.matchPolicy) && !MATCH_POLICIES.includes(str(hook.matchPolicy))) errs.push(notSupported(path.child('matchPolicy'), hook.matchPolicy, MATCH_POLICIES));
  if (!present(hook.sideEffects)) errs.push(required(path.child('sideEffects'), `must specify one of ${SIDE_EFFECTS.join(', ')}`));
  else if (!SIDE_EFFECTS.includes(str(hook.sideEffects))) errs.push(notSupported(path.child('sideEffects'), hook.sideEffects, SIDE_EFFECTS));
  const timeout = num(hook.timeoutSeconds);
  if (timeout !== undefined && (timeout > 30 || timeout < 1)) errs.push(invalid(path.child('timeoutSeconds'), timeout, 'the timeout value must be between 1 and 30 seconds'));
  for (const f of ['namespaceSelector', 'objectSelector']) if (present(hook[f])) errs.push(...validateLabelSelector(hook[f] as never, path.child(f)));
  if (mutating && present(hook.reinvocationPolicy) && !['IfNeeded', 'Never'].includes(str(hook.reinvocationPolicy))) {
    errs.push(notSupported(path.child('reinvocationPolicy'), hook.reinvocationPolicy, ['IfNeeded', 'Never']));
  }
  const cc = o(hook.clientConfig);
  const ccPath = path.child('clientConfig');
  if (present(cc.url) === present(cc.service)) errs.push(required(ccPath, 'exactly one of url or service is required'));
  else if (present(cc.url)) errs.push(...validateWebhookURL(ccPath.child('url'), str(cc.url)));
  else errs.push(...validateWebhookService(ccPath.child('service'), o(cc.service)));
  return errs;
}

function validateWebhookConfiguration(obj: KubeObject, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(obj.webhooks).forEach((raw, i) => {
    const hook = o(raw);
    const hp = root('webhooks').index(i);
    errs.push(...validateWebhook(hook, hp, mutating));
    errs.push(...validateReviewVersions(arr(hook.admissionReviewVersions).map(str), hp.child('admissionReviewVersions')));
    const name = str(hook.name);
    if (name !== '') {
      if (names.has(name)) errs.push(duplicate(hp.child('name'), name));
      names.add(name);
    }
  });
  return errs;
}

// ---------------- ValidatingAdmissionPolicy(Binding) ----------------

function validateMatchResources(mr: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (present(mr.matchPolicy) && !MATCH_POLICIES.includes(str(mr.matchPolicy))) errs.push(notSupported(path.child('matchPolicy'), mr.matchPolicy, MATCH_POLICIES));
  for (const f of ['namespaceSelector', 'objectSelector']) if (present(mr[f])) errs.push(...validateLabelSelector(mr[f] as never, path.child(f)));
  for (const f of ['resourceRules', 'excludeResourceRules']) {
    arr(mr[f]).forEach((r, i) => errs.push(...validateRule(o(r), path.child(f).index(i), true)));
  }
  return errs;
}

function validatePolicySpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!present(s.failurePolicy)) errs.push(required(path.child('failurePolicy')));
  else if (!FAILURE_POLICIES.includes(str(s.failurePolicy))) errs.push(notSupported(path.child('failurePolicy'), s.failurePolicy, FAILURE_POLICIES));
  if (present(s.paramKind)) {
    const pk = o(s.paramKind);
    if (str(pk.kind) === '') errs.push(required(path.child('paramKind', 'kind')));
    if (str(pk.apiVersion) === '') errs.push(required(path.child('paramKind', 'apiVersion')));
  }
  if (!present(s.matchConstraints)) errs.push(required(path.child('matchConstraints')));
  else {
    errs.push(...validateMatchResources(o(s.matchConstraints), path.child('matchConstraints')));
    if (arr(o(s.matchConstraints).resourceRules).length === 0) errs.push(required(path.child('matchConstraints', 'resourceRules')));
  }
  const validations = arr(s.validations);
  if (validations.length === 0 && arr(s.auditAnnotations).length === 0) {
    const msg = 'validations or auditAnnotations must contain at least one item';
    errs.push(required(path.child('validations'), msg), required(path.child('auditAnnotations'), msg));
  }
  validations.forEach((raw, i) => {
    const v = o(raw);
    const vp = path.child('validations').index(i);
    if (str(v.expression).trim() === '') errs.push(required(vp.child('expression')));
    const reasons = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
    if (present(v.reason) && !reasons.includes(str(v.reason))) errs.push(notSupported(vp.child('reason'), v.reason, reasons));
  });
  return errs;
}

function validateBindingSpec(s: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const policy = str(s.policyName);
  if (policy === '') errs.push(required(path.child('policyName')));
  else for (const m of isDNS1123Subdomain(policy)) errs.push(invalid(path.child('policyName'), policy, m));
  // Upstream spells this path "matchResouces".
  if (present(s.matchResources)) errs.push(...validateMatchResources(o(s.matchResources), path.child('matchResouces')));
  const actions = arr(s.validationActions).map(str);
  const ap = path.child('validationActions');
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!['Audit', 'Deny', 'Warn'].includes(a)) errs.push(notSupported(ap.index(i), a, ['Audit', 'Deny', 'Warn']));
    if (seen.has(a)) errs.push(duplicate(ap.index(i), a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errs.push(
      invalidRendered(ap, actions, `[]admissionregistration.ValidationAction{${actions.map((a) => JSON.stringify(a)).join(', ')}}`,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'),
    );
  }
  if (seen.size === 0) errs.push(required(ap, 'at least one validation action is required'));
  return errs;
}

export const admissionValidators: Record<string, GroupValidator> = {
  'ValidatingWebhookConfiguration.admissionregistration.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: (obj) => validateWebhookConfiguration(obj, false) },
  'MutatingWebhookConfiguration.admissionregistration.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: (obj) => validateWebhookConfiguration(obj, true) },
  'ValidatingAdmissionPolicy.admissionregistration.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: (obj) => validatePolicySpec(o(obj.spec), root('spec')) },
  'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: (obj) => validateBindingSpec(o(obj.spec), root('spec')) },
};
