// Small pieces every group needs: loose object access, upstream's ValidateNonnegativeField and
// ValidateImmutableField, label-selector matching, and IntOrString percent rules.
import { FieldPath, invalid, required, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { isDNS1123Subdomain, regexError, type NameValidator } from '../names.js';
import { goIntOrString, invalidRendered } from './go-format.js';
import { jsonEqual } from '../../object.js';

export type Obj = Record<string, unknown>;

export interface GroupValidator {
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** subresource is "status", or another status-like one (a CSR's "approval"). */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject, subresource?: string): FieldError[];
  nameValidator: NameValidator;
}

/** The value as an object, or an empty one: validation reads optional sub-structs freely. */
export function o(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
export function strMap(value: unknown): Record<string, string> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, string>) : undefined;
}

export const root = (name: string): FieldPath => new FieldPath(name);

/** ValidateNonnegativeField. Undefined means "unset", which upstream treats as 0 for non-pointers. */
export function nonNegative(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
}

export const IMMUTABLE = 'field is immutable';

/** Structural equality of JSON values (one implementation for the whole project). */
export const deepEqual = jsonEqual;

/**
 * ValidateImmutableField: Invalid(path, new, "field is immutable"). Scalars print themselves;
 * structured values need their Go rendering, passed by the caller.
 */
export function immutable(newValue: unknown, oldValue: unknown, path: FieldPath, render?: (v: unknown) => string): FieldError[] {
  if (deepEqual(newValue, oldValue)) return [];
  if (render) return [invalidRendered(path, newValue, render(newValue), IMMUTABLE)];
  return [invalid(path, newValue ?? null, IMMUTABLE)];
}

interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/**
 * metav1.LabelSelectorAsSelector + Matches. Returns "invalid" where upstream's conversion fails
 * (unknown operator, bad value counts). A nil selector selects nothing; an empty one everything.
 */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean | 'invalid' {
  if (selector === undefined || selector === null) return false;
  const sel = o(selector);
  const have = labels ?? {};
  for (const [k, v] of Object.entries(strMap(sel.matchLabels) ?? {})) if (have[k] !== v) return false;
  for (const raw of arr(sel.matchExpressions)) {
    const r = o(raw) as Requirement;
    const key = r.key ?? '';
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In':
        if (values.length === 0) return 'invalid';
        if (!(key in have) || !values.includes(have[key]!)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) return 'invalid';
        if (key in have && values.includes(have[key]!)) return false;
        break;
      case 'Exists':
        if (values.length > 0) return 'invalid';
        if (!(key in have)) return false;
        break;
      case 'DoesNotExist':
        if (values.length > 0) return 'invalid';
        if (key in have) return false;
        break;
      default:
        return 'invalid';
    }
  }
  return true;
}

/** True for a selector with neither matchLabels nor matchExpressions (upstream's "empty selector"). */
export function selectorIsEmpty(selector: unknown): boolean {
  const sel = o(selector);
  return Object.keys(strMap(sel.matchLabels) ?? {}).length + arr(sel.matchExpressions).length === 0;
}

// ---- IntOrString percentages (apps validation helpers, shared with policy) ----

const PERCENT = /^[0-9]+%$/;
export const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent. */
export function validatePositiveIntOrPercent(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value === 'string') {
    return PERCENT.test(value) ? [] : [invalidRendered(path, value, goIntOrString(value), PERCENT_MSG)];
  }
  if (typeof value === 'number') return nonNegative(value, path);
  return [];
}

/** The integer of "25%" or of 25; what upstream's getIntOrPercentValue returns (0 for junk). */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && PERCENT.test(value)) return parseInt(value.slice(0, -1), 10);
  return 0;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !PERCENT.test(value)) return [];
  return parseInt(value.slice(0, -1), 10) > 100 ? [invalidRendered(path, value, goIntOrString(value), 'must not be greater than 100%')] : [];
}

/** The errors of a name/value checker (isDNS1123Label ...) as Invalid errors on one path. */
export function each(path: FieldPath, value: unknown, details: readonly string[]): FieldError[] {
  return details.map((d) => invalid(path, value, d));
}

const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** IsDomainPrefixedPath as field errors (upstream reports the host or path part as the value). */
export function domainPrefixedPath(path: FieldPath, value: string): FieldError[] {
  if (value === '') return [required(path)];
  const slash = value.indexOf('/');
  if (slash < 1 || slash === value.length - 1) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errs = each(path, host, isDNS1123Subdomain(host));
  if (!HTTP_PATH.test(rest)) {
    errs.push(invalid(path, rest, regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
  }
  return errs;
}

/** An address as a 128-bit number (IPv4 mapped into the low 32 bits) plus its family. */
export function parseIP(text: string): { value: bigint; family: 4 | 6 } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), family: 4 };
  }
  if (!text.includes(':')) return undefined;
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIP(text.slice(lastColon + 1));
    if (!v4 || v4.family !== 4) return undefined;
    tail4 = v4.value;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
  return { value, family: 6 };
}

/** "10.0.0.0/8" -> network value, prefix length and family; undefined when it does not parse. */
export function parseCIDR(text: string): { network: bigint; prefix: number; family: 4 | 6 } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d+$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = ip.family === 4 ? 32 : 128;
  if (prefix > width) return undefined;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  return { network: ip.value & mask, prefix, family: ip.family };
}

/** True when inner is a strictly smaller subnet inside outer. */
export function isStrictSubnet(outer: string, inner: string): boolean {
  const a = parseCIDR(outer);
  const b = parseCIDR(inner);
  if (!a || !b || a.family !== b.family || a.prefix >= b.prefix) return false;
  const width = a.family === 4 ? 32 : 128;
  const shift = BigInt(width - a.prefix);
  return b.network >> shift === a.network >> shift;
}
