// String formats a CRD schema may name. Upstream strips every format it does not support
// before validating (so an unknown format is silently ignored), and only checks string
// values; integer/number formats (int32, int64, float, double) never range-check values.
import { tryParseQuantity } from '../units/quantity.js';
import type { JSONSchemaProps } from './schema.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){7}[0-9a-f]{2}$|^([0-9a-f]{2}[:-]){19}[0-9a-f]{2}$|^([0-9a-f]{4}\.){2}[0-9a-f]{4}$/i;
const HEXCOLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGBCOLOR = /^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$/;
const SSN = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC3339 as strfmt accepts it: optional fraction, Z or offset, or none (local time).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
// Go durations ("1h30m", "300ms") or Scala-style ("3 seconds", "1 h").
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$/;
const SCALA_DURATION = /^[-+]?\d+\s*(ns|nanos?|nanoseconds?|us|µs|micros?|microseconds?|ms|millis?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$/;

function validDate(y: string | undefined, m: string | undefined, d: string | undefined): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  let text = s;
  // An embedded IPv4 tail counts as two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let extraGroups = 0;
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0`;
    extraGroups = 1;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string | undefined): string[] => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  if (![...head, ...rest].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = head.length + rest.length + extraGroups;
  return halves.length === 2 ? count < 8 : count === 8;
}

function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isURI(s: string): boolean {
  // Go's url.ParseRequestURI: an absolute URI or an absolute path.
  if (s.startsWith('/')) return !/\s/.test(s);
  try {
    new URL(s);
    return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
  } catch {
    return false;
  }
}

function isISBN10(s: string): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (!/^\d{9}[\dX]$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (10 - i) * (digits[i] === 'X' ? 10 : Number(digits[i]));
  return sum % 11 === 0;
}

function isISBN13(s: string): boolean {
  const digits = s.replace(/[\s-]/g, '');
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(digits[i]);
  return sum % 10 === 0;
}

function isCreditCard(s: string): boolean {
  const digits = s.replace(/\D/g, '');
  return /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$/.test(digits);
}

/** Checkers keyed by the normalized name (dashes removed), as go-openapi's registry does. */
const checkers: ReadonlyMap<string, (s: string) => boolean> = new Map([
  ['bsonobjectid', (s: string) => BSON_OBJECT_ID.test(s)],
  ['uri', isURI],
  ['email', (s: string) => EMAIL.test(s)],
  ['hostname', (s: string) => s.length <= 255 && HOSTNAME.test(s)],
  ['ipv4', isIPv4],
  ['ipv6', isIPv6],
  ['cidr', isCIDR],
  ['mac', (s: string) => MAC.test(s)],
  ['uuid', (s: string) => UUID.test(s)],
  ['uuid3', (s: string) => UUID3.test(s)],
  ['uuid4', (s: string) => UUID4.test(s)],
  ['uuid5', (s: string) => UUID5.test(s)],
  ['isbn', (s: string) => isISBN10(s) || isISBN13(s)],
  ['isbn10', isISBN10],
  ['isbn13', isISBN13],
  ['creditcard', isCreditCard],
  ['ssn', (s: string) => SSN.test(s)],
  ['hexcolor', (s: string) => HEXCOLOR.test(s)],
  ['rgbcolor', (s: string) => RGBCOLOR.test(s)],
  ['byte', (s: string) => BASE64.test(s)],
  ['password', () => true],
  ['date', (s: string) => {
    const m = DATE.exec(s);
    return m !== null && validDate(m[1], m[2], m[3]);
  }],
  ['duration', (s: string) => GO_DURATION.test(s) || SCALA_DURATION.test(s)],
  ['datetime', (s: string) => {
    const m = DATE_TIME.exec(s);
    return m !== null && validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60;
  }],
  ['quantity', (s: string) => tryParseQuantity(s) !== undefined],
]);

/**
 * The format upstream keeps after stripping unsupported ones: string formats from the
 * supported list, int32/int64 on integers, float/double on numbers, nothing elsewhere.
 */
export function effectiveFormat(schema: JSONSchemaProps, types: readonly string[]): string {
  const format = schema.format ?? '';
  if (format === '') return '';
  const type = types.length === 1 ? types[0] : '';
  switch (type) {
    case '':
    case 'string':
      return checkers.has(format.replaceAll('-', '')) ? format : '';
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : '';
    case 'number':
      return format === 'float' || format === 'double' ? format : '';
    default:
      return '';
  }
}

/** undefined when the format has no string checker (numeric formats, stripped formats). */
export function checkStringFormat(format: string, value: string): boolean | undefined {
  const checker = checkers.get(format.replaceAll('-', ''));
  return checker === undefined ? undefined : checker(value);
}
