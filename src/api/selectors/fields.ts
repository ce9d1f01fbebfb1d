// Field selectors ("status.phase=Running,spec.nodeName!=n1") parsed as upstream's
// k8s.io/apimachinery/pkg/fields.ParseSelector: terms split on unescaped commas, each split at its
// first operator, values unescaped (\\ \, \= are the only escapes).
import { badRequest } from '../errors.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

export interface FieldSelector {
  /** A field missing from `fields` reads as "" (upstream's fields.Set.Get). */
  matches(fields: Readonly<Record<string, string>>): boolean;
  isEmpty(): boolean;
  requirements(): readonly FieldRequirement[];
  /** The value the selector demands for `field` via = or ==, if any (RequiresExactMatch). */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

/** Escapes a literal for use as a field selector value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** fields.UnescapeValue, with upstream's error texts. */
export function unescapeFieldValue(text: string): string {
  if (!/[\\,=]/.test(text)) return text;
  let out = '';
  let escaping = false;
  for (const ch of text) {
    if (escaping) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') throw new Error(`invalid field selector: invalid escape sequence: \\${ch}`);
      out += ch;
      escaping = false;
    } else if (ch === '\\') {
      escaping = true;
    } else if (ch === ',' || ch === '=') {
      // Upstream formats the rune with %v, which prints its code point number.
      throw new Error(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (escaping) throw new Error('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const termOperators: readonly FieldOperator[] = ['!=', '==', '='];

/** Splits "lhs<op>rhs" at the leftmost position where any operator starts ("!=" before "==" before "="). */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of termOperators) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

class RequirementsFieldSelector implements FieldSelector {
  constructor(private readonly reqs: readonly FieldRequirement[]) {}
  matches(fields: Readonly<Record<string, string>>): boolean {
    return this.reqs.every((r) => {
      const actual = Object.hasOwn(fields, r.field) ? fields[r.field]! : '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }
  isEmpty(): boolean {
    return this.reqs.length === 0;
  }
  requirements(): readonly FieldRequirement[] {
    return this.reqs;
  }
  requiresExactMatch(field: string): string | undefined {
    return this.reqs.find((r) => r.field === field && r.operator !== '!=')?.value;
  }
  toString(): string {
    // Upstream prints == as = when turning a selector back into text.
    return this.reqs.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

export const everythingFieldSelector: FieldSelector = new RequirementsFieldSelector([]);

/** Builds a selector from already-parsed requirements (e.g. after renaming fields). */
export function fieldSelectorFromRequirements(reqs: readonly FieldRequirement[]): FieldSelector {
  return new RequirementsFieldSelector(reqs);
}

/** Parses without wrapping errors: the plain upstream message is thrown as an Error. */
export function parseFieldRequirements(text: string): FieldRequirement[] {
  // Upstream sorts the raw terms so the selector (and its first error) is deterministic.
  const terms = splitTerms(text).sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const req = splitTerm(term);
    if (!req) throw new Error(`invalid selector: '${text}'; can't understand '${term}'`);
    reqs.push({ ...req, value: unescapeFieldValue(req.value) });
  }
  return reqs;
}

/**
 * Parses a ?fieldSelector= string. Bad input throws a 400 BadRequest StatusError with upstream's
 * message. Field names are not checked here; see checkFieldSelector in field-sets.ts.
 */
export function parseFieldSelector(text: string): FieldSelector {
  try {
    return new RequirementsFieldSelector(parseFieldRequirements(text));
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
}
