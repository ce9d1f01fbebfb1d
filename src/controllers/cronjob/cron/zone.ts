// Wall-clock time in an IANA time zone through Intl, which is all Node offers: the UTC offset at
// an instant, and the instant of a wall-clock time (Go's time.Date semantics for DST gaps: a
// time that does not exist is read with the offset before the change, so it lands after the gap).

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

/** Formatters are costly to build; one per zone is kept (a bounded set: the zones CronJobs name). */
const formattersMax = 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    if (formatters.size >= formattersMax) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone ("" and "UTC" always). */
export function isKnownZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC') return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to UTC to get the zone's wall clock at this instant. */
export function offsetMs(zone: string, instantMs: number): number {
  if (zone === '' || zone === 'UTC') return 0;
  const wall = wallTime(zone, instantMs);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

export function wallTime(zone: string, instantMs: number): WallTime {
  if (zone === '' || zone === 'UTC') {
    const d = new Date(instantMs);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(instantMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const year = parts.year!;
  const month = parts.month!;
  const day = parts.day!;
  return { year, month, day, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second!, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** The instant of a wall-clock time given as a naive UTC timestamp of its fields. */
export function instantOfWall(zone: string, naiveMs: number): number {
  if (zone === '' || zone === 'UTC') return naiveMs;
  const first = offsetMs(zone, naiveMs);
  const candidate = naiveMs - first;
  const second = offsetMs(zone, candidate);
  if (second === first) return candidate;
  const retry = naiveMs - second;
  if (offsetMs(zone, retry) === second) return retry;
  // In a gap: use the smaller (pre-change) offset, which puts the time just after the gap.
  return naiveMs - Math.min(first, second);
}

/** RFC 3339 with the zone's offset, as Go's time.Format(time.RFC3339) of t.In(zone). */
export function formatRfc3339InZone(zone: string, instantMs: number): string {
  const offset = offsetMs(zone, instantMs);
  const local = new Date(Math.floor(instantMs / 1000) * 1000 + offset).toISOString().replace(/\.\d{3}Z$/, '');
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
