// CronJob schedules as upstream parses them (robfig/cron/v3 ParseStandard): five fields (minute,
// hour, day of month, month, day of week) with lists, ranges, steps, "*" and "?", month and day
// names; the @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly macros; and
// "@every <duration>", which ParseStandard also accepts (so the API server does too).
import { instantOfWall, wallTime } from './zone.js';

export interface CronSchedule {
  next(afterMs: number): number;
}

interface Field {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const minuteField: Field = { min: 0, max: 59 };
const hourField: Field = { min: 0, max: 23 };
const domField: Field = { min: 1, max: 31 };
const monthField: Field = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const dowField: Field = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** A field's allowed values, and whether it was written as "*" or "?" (robfig's starBit). */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

const macros: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronParseError extends Error {}

/** Parses a schedule; timeZone is an IANA name ("" for UTC). A "TZ=" or "CRON_TZ=" prefix overrides it. */
export function parseSchedule(spec: string, timeZone = ''): CronSchedule {
  let rest = spec.trim();
  let zone = timeZone;
  if (rest === '') throw new CronParseError('empty spec string');
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    zone = rest.slice(rest.indexOf('=') + 1, space < 0 ? undefined : space);
    rest = space < 0 ? '' : rest.slice(space).trim();
  }
  if (rest.startsWith('@every ')) return everySchedule(rest.slice('@every '.length).trim());
  if (rest.startsWith('@')) {
    const expanded = macros[rest];
    if (!expanded) throw new CronParseError(`unrecognized descriptor: ${rest}`);
    rest = expanded;
  }
  const fields = rest.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new FieldSchedule(
    {
      minute: parseField(fields[0]!, minuteField),
      hour: parseField(fields[1]!, hourField),
      dom: parseField(fields[2]!, domField),
      month: parseField(fields[3]!, monthField),
      dow: parseField(fields[4]!, dowField),
    },
    zone,
  );
}

function parseNumber(text: string, field: Field): number {
  const named = field.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new CronParseError(`failed to parse int from ${text}`);
  return Number(text);
}

function parseField(text: string, field: Field): FieldSet {
  const set: FieldSet = { values: new Set(), star: false };
  for (const expr of text.split(',')) {
    const [range = '', stepText, extra] = expr.split('/');
    if (extra !== undefined) throw new CronParseError(`too many slashes: ${expr}`);
    const bounds = range.split('-');
    let start: number;
    let end: number;
    let star = false;
    if (bounds[0] === '*' || bounds[0] === '?') {
      [start, end, star] = [field.min, field.max, true];
    } else {
      if (bounds.length > 2) throw new CronParseError(`too many hyphens: ${expr}`);
      start = parseNumber(bounds[0]!, field);
      end = bounds.length === 2 ? parseNumber(bounds[1]!, field) : start;
    }
    let step = 1;
    if (stepText !== undefined) {
      step = parseNumber(stepText, { min: 0, max: 0 });
      // "N/step" means "N-max/step".
      if (bounds.length === 1 && !star) end = field.max;
      // A stepped "*" no longer counts as "*" for the day-of-month/day-of-week rule.
      if (step > 1) star = false;
    }
    if (start < field.min) throw new CronParseError(`beginning of range (${start}) below minimum (${field.min}): ${expr}`);
    if (end > field.max) throw new CronParseError(`end of range (${end}) above maximum (${field.max}): ${expr}`);
    if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
    if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
    for (let v = start; v <= end; v += step) set.values.add(v);
    set.star ||= star;
  }
  return set;
}

interface Fields {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  dow: FieldSet;
}

/** Searching further than this many years means the schedule never fires (e.g. "0 0 30 2 *"). */
const searchYearsMax = 5;
const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

class FieldSchedule implements CronSchedule {
  constructor(private readonly fields: Fields, private readonly zone: string) {}

  /** The first matching minute strictly after afterMs; 0 when there is none within 5 years (robfig returns the zero time). */
  next(afterMs: number): number {
    // Schedules fire on whole minutes, strictly after afterMs (robfig: next second, then second 0).
    const wall = wallTime(this.zone, (Math.floor(afterMs / minuteMs) + 1) * minuteMs);
    let naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
    const limit = naive + searchYearsMax * 366 * dayMs;
    const f = this.fields;
    while (naive < limit) {
      const d = new Date(naive);
      if (!f.month.values.has(d.getUTCMonth() + 1)) {
        naive = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        continue;
      }
      if (!this.dayMatches(d)) {
        naive = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
        continue;
      }
      if (!f.hour.values.has(d.getUTCHours())) {
        naive = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
        continue;
      }
      if (!f.minute.values.has(d.getUTCMinutes())) {
        naive += minuteMs;
        continue;
      }
      const instant = instantOfWall(this.zone, naive);
      // A wall time repeated by a DST fall-back, or a gap moved it back: look further.
      if (instant > afterMs) return instant;
      naive += minuteMs;
    }
    return 0;
  }

  /** robfig's rule: if either day field is "*", both must match; otherwise either may. */
  private dayMatches(d: Date): boolean {
    const dom = this.fields.dom.values.has(d.getUTCDate());
    const dow = this.fields.dow.values.has(d.getUTCDay());
    return this.fields.dom.star || this.fields.dow.star ? dom && dow : dom || dow;
  }
}

const durationUnitsMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: minuteMs, h: hourMs };

/** Go's time.ParseDuration, in milliseconds. */
export function parseGoDurationMs(text: string): number {
  if (text === '0') return 0;
  const match = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) throw new CronParseError(`failed to parse duration @every ${text}: time: invalid duration ${JSON.stringify(text)}`);
  let total = 0;
  for (const part of match[2]!.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * durationUnitsMs[part[2]!]!;
  return match[1] === '-' ? -total : total;
}

/** robfig's ConstantDelaySchedule: every d (at least 1 s, whole seconds) after the given time. */
function everySchedule(text: string): CronSchedule {
  const ms = parseGoDurationMs(text);
  const delayMs = ms < 1000 ? 1000 : ms - (ms % 1000);
  return { next: (afterMs) => afterMs + delayMs - (afterMs % 1000) };
}
