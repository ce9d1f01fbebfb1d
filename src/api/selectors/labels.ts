// Label selectors: the ?labelSelector= string form and metav1.LabelSelector objects, matched the
// way upstream's k8s.io/apimachinery/pkg/labels does.
import { badRequest } from '../errors.js';
import { isJsonObject } from '../object.js';
import { parseLabelRequirements } from './label-parser.js';
import { LabelRequirement, type LabelOperator } from './label-requirement.js';

export { LabelRequirement, type LabelOperator } from './label-requirement.js';

export interface LabelSelector {
  matches(labels: Readonly<Record<string, string>> | undefined | null): boolean;
  /** True when the selector places no restriction (selects everything). */
  isEmpty(): boolean;
  /** True only for the selector that selects nothing (a null metav1.LabelSelector). */
  selectsNothing(): boolean;
  /** Requirements ANDed together, sorted by key. */
  requirements(): readonly LabelRequirement[];
  toString(): string;
}

class RequirementsSelector implements LabelSelector {
  constructor(private readonly reqs: readonly LabelRequirement[]) {}
  matches(labels: Readonly<Record<string, string>> | undefined | null): boolean {
    const set = labels ?? {};
    return this.reqs.every((r) => r.matches(set));
  }
  isEmpty(): boolean {
    return this.reqs.length === 0;
  }
  selectsNothing(): boolean {
    return false;
  }
  requirements(): readonly LabelRequirement[] {
    return this.reqs;
  }
  toString(): string {
    return this.reqs.map((r) => r.toString()).join(',');
  }
}

class NothingSelector implements LabelSelector {
  matches(): boolean {
    return false;
  }
  isEmpty(): boolean {
    return false;
  }
  selectsNothing(): boolean {
    return true;
  }
  requirements(): readonly LabelRequirement[] {
    return [];
  }
  toString(): string {
    return '';
  }
}

export const everythingLabelSelector: LabelSelector = new RequirementsSelector([]);
export const nothingLabelSelector: LabelSelector = new NothingSelector();

/**
 * Parses a label selector string ("app=web,tier in (a,b),!canary"). Bad input throws a 400
 * BadRequest StatusError carrying upstream's parser message, as the API server answers a bad
 * ?labelSelector=.
 */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return new RequirementsSelector(parseLabelRequirements(text));
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
}

/** A selector that matches exactly the given labels (labels.SelectorFromSet); empty selects everything. */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | undefined | null): LabelSelector {
  const entries = Object.entries(set ?? {});
  if (entries.length === 0) return everythingLabelSelector;
  return new RequirementsSelector(sortByKey(entries.map(([k, v]) => LabelRequirement.create(k, '=', [v]))));
}

const expressionOperators: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelector -> selector, as LabelSelectorAsSelector: null/undefined selects nothing,
 * {} selects everything. Invalid content throws a 400 BadRequest with upstream's message.
 */
export function labelSelectorFromObject(selector: unknown): LabelSelector {
  if (selector === null || selector === undefined) return nothingLabelSelector;
  if (!isJsonObject(selector)) throw badRequest('label selector must be an object');
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  if (!isJsonObject(matchLabels)) throw badRequest('matchLabels must be a map of strings');
  if (!Array.isArray(matchExpressions)) throw badRequest('matchExpressions must be a list');
  const labelEntries = Object.entries(matchLabels);
  if (labelEntries.length + matchExpressions.length === 0) return everythingLabelSelector;

  try {
    const reqs: LabelRequirement[] = [];
    for (const [key, value] of labelEntries) {
      if (typeof value !== 'string') throw new Error(`matchLabels[${key}] must be a string`);
      reqs.push(LabelRequirement.create(key, '=', [value]));
    }
    for (const expression of matchExpressions) {
      if (!isJsonObject(expression)) throw new Error('each matchExpressions entry must be an object');
      const { key, operator, values } = expression;
      const op = typeof operator === 'string' ? expressionOperators[operator] : undefined;
      // Go prints the operator with %q; a missing one is the empty string.
      if (!op) throw new Error(`${JSON.stringify(typeof operator === 'string' ? operator : '')} is not a valid label selector operator`);
      const list = values ?? [];
      if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string')) throw new Error('matchExpressions values must be a list of strings');
      reqs.push(LabelRequirement.create(typeof key === 'string' ? key : '', op, list));
    }
    return new RequirementsSelector(sortByKey(reqs));
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
}

function sortByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
