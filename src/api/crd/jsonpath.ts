// The part of client-go's JSONPath that CRD printer columns use, evaluated with missing keys
// allowed (a missing field yields no result instead of an error): fields (.a, ['a'], a\.b
// escapes), array indices and slices ([0], [-1], [1:3]), wildcards ([*], .*), recursive
// descent (..name) and filters ([?(@.type=="Ready")], [?(@.ready)], ==, !=, <, <=, >, >=).
import { isJsonMap } from './schema.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; start: number | undefined; end: number | undefined; single: boolean }
  | { kind: 'filter'; path: string[]; op?: string; literal?: unknown };

export class JsonPathError extends Error {}

/** Compiles a column's jsonPath (with or without the surrounding {}) into a finder. */
export function compileJsonPath(expression: string): (data: unknown) => unknown[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  const steps = parse(text);
  return (data) => steps.reduce<unknown[]>((values, step) => values.flatMap((v) => apply(step, v)), [data]);
}

function parse(text: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const readName = (): string => {
    let name = '';
    while (i < text.length && !'.[]'.includes(text[i]!)) {
      // A backslash escapes the next character, e.g. labels.app\.kubernetes\.io/name.
      if (text[i] === '\\' && i + 1 < text.length) i++;
      name += text[i++];
    }
    return name;
  };
  if (text.startsWith('$')) i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.' && text[i + 1] === '.') {
      i += 2;
      steps.push({ kind: 'recursive', name: readName() });
    } else if (c === '.') {
      i++;
      if (text[i] === '*') {
        i++;
        steps.push({ kind: 'wildcard' });
      } else {
        const name = readName();
        if (name !== '') steps.push({ kind: 'field', name });
      }
    } else if (c === '[') {
      const close = findClose(text, i);
      steps.push(parseBracket(text.slice(i + 1, close).trim()));
      i = close + 1;
    } else if (c === '@') {
      i++; // "@" is the current node
    } else {
      steps.push({ kind: 'field', name: readName() });
    }
  }
  return steps;
}

/** The matching "]", skipping quoted strings and nested brackets inside filters. */
function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      depth++;
    } else if (c === ']' && --depth === 0) {
      return i;
    }
  }
  throw new JsonPathError(`unclosed array expect ]`);
}

function parseBracket(inner: string): Step {
  if (inner === '*') return { kind: 'wildcard' };
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  if (inner.startsWith('?(') && inner.endsWith(')')) return parseFilter(inner.slice(2, -1).trim());
  const slice = /^(-?\d*)\s*(?::\s*(-?\d*))?$/.exec(inner);
  if (!slice) throw new JsonPathError(`invalid array index ${inner}`);
  const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));
  return { kind: 'index', start: num(slice[1]), end: num(slice[2]), single: slice[2] === undefined };
}

function parseFilter(expr: string): Step {
  const match = /^@((?:\.[^\s=!<>]+)*)\s*(==|!=|<=|>=|<|>)?\s*(.*)$/.exec(expr);
  if (!match) throw new JsonPathError(`unrecognized filter ${expr}`);
  const path = (match[1] ?? '').split('.').filter((p) => p !== '');
  if (!match[2]) return { kind: 'filter', path };
  return { kind: 'filter', path, op: match[2], literal: parseLiteral((match[3] ?? '').trim()) };
}

function parseLiteral(text: string): unknown {
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return quoted[2];
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'nil' || text === 'null') return null;
  const n = Number(text);
  if (text !== '' && !Number.isNaN(n)) return n;
  throw new JsonPathError(`unrecognized literal ${text}`);
}

function apply(step: Step, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isJsonMap(value) && Object.hasOwn(value, step.name) ? [value[step.name]] : [];
    case 'wildcard':
      return Array.isArray(value) ? value : isJsonMap(value) ? Object.keys(value).sort().map((k) => value[k]) : [];
    case 'recursive':
      return descend(value, step.name);
    case 'index':
      return Array.isArray(value) ? indexInto(value, step) : [];
    case 'filter':
      return Array.isArray(value) ? value.filter((item) => passes(item, step)) : [];
  }
}

function indexInto(list: unknown[], step: { start: number | undefined; end: number | undefined; single: boolean }): unknown[] {
  const norm = (n: number): number => (n < 0 ? n + list.length : n);
  if (step.single) {
    const i = norm(step.start ?? 0);
    return i >= 0 && i < list.length ? [list[i]] : [];
  }
  const start = Math.max(0, norm(step.start ?? 0));
  const end = Math.min(list.length, norm(step.end ?? list.length));
  return list.slice(start, Math.max(start, end));
}

function descend(value: unknown, name: string): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown): void => {
    if (isJsonMap(v)) {
      if (name === '' || name === '*') out.push(...Object.values(v));
      else if (Object.hasOwn(v, name)) out.push(v[name]);
      Object.values(v).forEach(visit);
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    }
  };
  visit(value);
  return out;
}

function passes(item: unknown, step: { path: string[]; op?: string; literal?: unknown }): boolean {
  let current: unknown = item;
  for (const key of step.path) {
    if (!isJsonMap(current) || !Object.hasOwn(current, key)) return false;
    current = current[key];
  }
  if (step.op === undefined) return current !== undefined && current !== null && current !== false;
  const lit = step.literal;
  switch (step.op) {
    case '==':
      return current === lit;
    case '!=':
      return current !== lit;
    default: {
      if (typeof current !== 'number' || typeof lit !== 'number') return false;
      if (step.op === '<') return current < lit;
      if (step.op === '<=') return current <= lit;
      if (step.op === '>') return current > lit;
      return current >= lit;
    }
  }
}
