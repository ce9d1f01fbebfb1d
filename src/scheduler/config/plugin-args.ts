// Defaulting and validation of the in-tree plugins' args, as upstream's
// apis/config/v1/defaults.go and apis/config/validation/validation_pluginargs.go.
import { duplicate, forbidden, invalid, notSupported, required, type FieldError, type FieldPath } from '../../api/field-errors.js';
import { validateLabelName } from '../../api/validation/meta.js';

type Args = Record<string, unknown>;
type Defaulter = (args: Args) => void;
type Validator = (args: Args, path: FieldPath) => FieldError[];

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const list = (v: unknown): Args[] => (Array.isArray(v) ? (v as Args[]) : []);
const defaultResources = (): Args[] => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export const argsDefaulters: Readonly<Record<string, Defaulter>> = {
  DefaultPreemption: (a) => {
    a.minCandidateNodesPercentage ??= 10;
    a.minCandidateNodesAbsolute ??= 100;
  },
  InterPodAffinity: (a) => {
    a.hardPodAffinityWeight ??= 1;
  },
  NodeAffinity: () => {},
  NodeResourcesBalancedAllocation: (a) => {
    if (list(a.resources).length === 0) {
      a.resources = defaultResources();
      return;
    }
    for (const r of list(a.resources)) if (!r.weight) r.weight = 1;
  },
  NodeResourcesFit: (a) => {
    if (a.scoringStrategy === undefined || a.scoringStrategy === null) a.scoringStrategy = { type: 'LeastAllocated', resources: defaultResources() };
    const strategy = a.scoringStrategy as Args;
    if (list(strategy.resources).length === 0) strategy.resources = defaultResources();
    for (const r of list(strategy.resources)) if (!r.weight) r.weight = 1;
  },
  PodTopologySpread: (a) => {
    if (!a.defaultingType) a.defaultingType = 'System';
  },
  VolumeBinding: (a) => {
    a.bindTimeoutSeconds ??= 600;
  },
};

function validateDefaultPreemption(a: Args, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const percentage = num(a.minCandidateNodesPercentage);
  const absolute = num(a.minCandidateNodesAbsolute);
  const percentagePath = path.child('minCandidateNodesPercentage');
  const absolutePath = path.child('minCandidateNodesAbsolute');
  if (percentage < 0 || percentage > 100) errs.push(invalid(percentagePath, percentage, 'not in valid range [0, 100]'));
  if (absolute < 0) errs.push(invalid(absolutePath, absolute, 'not in valid range [0, inf)'));
  if (percentage === 0 && absolute === 0) {
    errs.push(
      invalid(percentagePath, percentage, 'cannot be zero at the same time as minCandidateNodesAbsolute'),
      invalid(absolutePath, absolute, 'cannot be zero at the same time as minCandidateNodesPercentage'),
    );
  }
  return errs;
}

function validateInterPodAffinity(a: Args, path: FieldPath): FieldError[] {
  const w = num(a.hardPodAffinityWeight);
  return w < 0 || w > 100 ? [invalid(path.child('hardPodAffinityWeight'), w, 'not in valid range [0, 100]')] : [];
}

const NODE_SELECTOR_OPERATORS = ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'];

function validateNodeSelectorTerm(term: Args, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, req] of list(term.matchExpressions).entries()) {
    const p = path.child('matchExpressions').index(i);
    const values = Array.isArray(req.values) ? req.values : [];
    switch (req.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(required(p.child('values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(p.child('values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      case 'Gt': case 'Lt':
        if (values.length !== 1) errs.push(required(p.child('values'), 'must be specified single value when `operator` is \'Lt\' or \'Gt\''));
        break;
      default:
        errs.push(notSupported(p.child('operator'), req.operator ?? '', NODE_SELECTOR_OPERATORS));
    }
  }
  return errs;
}

function validateNodeAffinity(a: Args, path: FieldPath): FieldError[] {
  const added = a.addedAffinity as Args | undefined | null;
  if (!added) return [];
  const errs: FieldError[] = [];
  const requiredTerms = (added.requiredDuringSchedulingIgnoredDuringExecution as Args | undefined)?.nodeSelectorTerms;
  const requiredPath = path.child('addedAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  for (const [i, term] of list(requiredTerms).entries()) errs.push(...validateNodeSelectorTerm(term, requiredPath.index(i)));
  const preferredPath = path.child('addedAffinity', 'preferredDuringSchedulingIgnoredDuringExecution');
  for (const [i, term] of list(added.preferredDuringSchedulingIgnoredDuringExecution).entries()) {
    errs.push(...validateNodeSelectorTerm((term.preference ?? {}) as Args, preferredPath.index(i).child('preference')));
  }
  return errs;
}

function validateBalancedAllocation(a: Args, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, r] of list(a.resources).entries()) {
    const name = String(r.name ?? '');
    if (seen.has(name)) errs.push(duplicate(path.child('resources').index(i).child('name'), name));
    seen.add(name);
    if (r.weight !== 1) errs.push(invalid(path.child('resources').index(i).child('weight'), num(r.weight), 'must be 1'));
  }
  return errs;
}

const SCORING_STRATEGY_TYPES = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];
const MAX_CUSTOM_PRIORITY_SCORE = 10;

function validateResourceWeights(resources: Args[], path: FieldPath): FieldError[] {
  return resources.flatMap((r, i) => {
    const w = num(r.weight);
    return w <= 0 || w > 100 ? [invalid(path.index(i).child('weight'), w, `resource weight of ${String(r.name ?? '')} not in valid range (0, 100]`)] : [];
  });
}

function validateShape(shape: Args[], path: FieldPath): FieldError[] {
  if (shape.length === 0) return [required(path, 'at least one point must be specified')];
  const errs: FieldError[] = [];
  for (let i = 1; i < shape.length; i++) {
    if (num(shape[i - 1]!.utilization) >= num(shape[i]!.utilization)) {
      errs.push(invalid(path.index(i).child('utilization'), num(shape[i]!.utilization), 'utilization values must be sorted in increasing order'));
      break;
    }
  }
  for (const [i, point] of shape.entries()) {
    const u = num(point.utilization);
    const s = num(point.score);
    if (u < 0 || u > 100) errs.push(invalid(path.index(i).child('utilization'), u, 'not in valid range [0, 100]'));
    if (s < 0 || s > MAX_CUSTOM_PRIORITY_SCORE) errs.push(invalid(path.index(i).child('score'), s, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`));
  }
  return errs;
}

/** Upstream runs this one when the plugin is built (validatePluginConfig looks it up under a wrong key). */
export function validateNodeResourcesFitArgs(a: Args, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const labelName = (v: unknown, p: FieldPath): void => {
    errs.push(...validateLabelName(String(v ?? ''), p));
  };
  for (const [i, r] of ((a.ignoredResources as unknown[] | undefined) ?? []).entries()) labelName(r, path.child('ignoredResources').index(i));
  for (const [i, g] of ((a.ignoredResourceGroups as unknown[] | undefined) ?? []).entries()) {
    const p = path.child('ignoredResourceGroups').index(i);
    if (typeof g === 'string' && g.includes('/')) errs.push(invalid(p, g, "resource group name can't contain '/'"));
    labelName(g, p);
  }
  const strategy = a.scoringStrategy as Args | undefined | null;
  if (strategy) {
    const strategyPath = path.child('scoringStrategy');
    const type = typeof strategy.type === 'string' ? strategy.type : '';
    if (!SCORING_STRATEGY_TYPES.includes(type)) errs.push(notSupported(strategyPath.child('type'), type, SCORING_STRATEGY_TYPES));
    errs.push(...validateResourceWeights(list(strategy.resources), strategyPath.child('resources')));
    const ratio = strategy.requestedToCapacityRatio as Args | undefined | null;
    if (ratio) errs.push(...validateShape(list(ratio.shape), strategyPath.child('shape')));
  }
  return errs;
}

function validatePodTopologySpread(a: Args, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const constraints = list(a.defaultConstraints);
  const typePath = path.child('defaultingType');
  if (a.defaultingType !== 'System' && a.defaultingType !== 'List') errs.push(notSupported(typePath, a.defaultingType ?? '', ['System', 'List']));
  else if (a.defaultingType === 'System' && constraints.length > 0) errs.push(invalid(typePath, a.defaultingType, 'when .defaultConstraints are not empty'));
  for (const [i, c] of constraints.entries()) {
    const p = path.child('defaultConstraints').index(i);
    if (num(c.maxSkew) <= 0) errs.push(invalid(p.child('maxSkew'), num(c.maxSkew), 'not in valid range (0, inf)'));
    if (!c.topologyKey) errs.push(required(p.child('topologyKey'), 'can not be empty'));
    if (!c.whenUnsatisfiable) errs.push(required(p.child('whenUnsatisfiable'), 'can not be empty'));
    else if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      errs.push(notSupported(p.child('whenUnsatisfiable'), c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    if (c.labelSelector) errs.push(forbidden(p.child('labelSelector'), 'constraint must not define a selector, as they deduced for each pod'));
    const repeated = constraints.slice(0, i).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable);
    if (repeated) errs.push(duplicate(path.child('defaultConstraints').index(i), `{${String(c.topologyKey)}, ${String(c.whenUnsatisfiable)}}`));
  }
  return errs;
}

function validateVolumeBinding(a: Args, path: FieldPath): FieldError[] {
  const timeout = num(a.bindTimeoutSeconds);
  return timeout < 0 ? [invalid(path.child('bindTimeoutSeconds'), timeout, 'invalid BindTimeoutSeconds, should not be a negative value')] : [];
}

/** What validatePluginConfig checks while validating the configuration. */
export const argsValidators: Readonly<Record<string, Validator>> = {
  DefaultPreemption: validateDefaultPreemption,
  InterPodAffinity: validateInterPodAffinity,
  NodeAffinity: validateNodeAffinity,
  NodeResourcesBalancedAllocation: validateBalancedAllocation,
  PodTopologySpread: validatePodTopologySpread,
  VolumeBinding: validateVolumeBinding,
};
