import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchedule } from './schedule.js';
import { formatRfc3339InZone } from './zone.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

test('every minute fires on the next whole minute, strictly after the given time', () => {
  const s = parseSchedule('* * * * *');
  assert.equal(iso(s.next(at('2024-01-01T10:00:00Z'))), '2024-01-01T10:01:00.000Z');
  assert.equal(iso(s.next(at('2024-01-01T10:00:59.500Z'))), '2024-01-01T10:01:00.000Z');
});

test('ranges, steps, lists and names', () => {
  const s = parseSchedule('*/15 9-17 * JAN,mar mon-fri');
  // 2024-01-06 is a Saturday: the next weekday is Monday the 8th.
  assert.equal(iso(s.next(at('2024-01-05T17:50:00Z'))), '2024-01-08T09:00:00.000Z');
  assert.equal(iso(s.next(at('2024-01-08T09:00:00Z'))), '2024-01-08T09:15:00.000Z');
  // Out of February straight to March.
  assert.equal(iso(s.next(at('2024-01-31T17:45:00Z'))), '2024-03-01T09:00:00.000Z');
  assert.equal(iso(parseSchedule('5/20 * * * *').next(at('2024-01-01T00:06:00Z'))), '2024-01-01T00:25:00.000Z');
});

test('a day-of-month and a day-of-week both restricted fire on either', () => {
  // The 13th or any Friday.
  const s = parseSchedule('0 0 13 * 5');
  assert.equal(iso(s.next(at('2024-09-01T00:00:00Z'))), '2024-09-06T00:00:00.000Z');
  assert.equal(iso(s.next(at('2024-09-11T00:00:00Z'))), '2024-09-13T00:00:00.000Z');
  // With a star in day-of-month, only the weekday restricts.
  assert.equal(iso(parseSchedule('0 0 * * 5').next(at('2024-09-11T00:00:00Z'))), '2024-09-13T00:00:00.000Z');
});

test('macros', () => {
  const from = at('2024-05-15T12:34:00Z');
  assert.equal(iso(parseSchedule('@yearly').next(from)), '2025-01-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@annually').next(from)), '2025-01-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@monthly').next(from)), '2024-06-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@weekly').next(from)), '2024-05-19T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@daily').next(from)), '2024-05-16T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@midnight').next(from)), '2024-05-16T00:00:00.000Z');
  assert.equal(iso(parseSchedule('@hourly').next(from)), '2024-05-15T13:00:00.000Z');
  assert.equal(iso(parseSchedule('@every 90s').next(at('2024-05-15T12:34:00.250Z'))), '2024-05-15T12:35:30.000Z');
});

test('invalid schedules are refused with robfig/cron messages', () => {
  assert.throws(() => parseSchedule('* * * *'), /expected exactly 5 fields, found 4/);
  assert.throws(() => parseSchedule('60 * * * *'), /end of range \(60\) above maximum \(59\)/);
  assert.throws(() => parseSchedule('@fortnightly'), /unrecognized descriptor: @fortnightly/);
  assert.throws(() => parseSchedule('@every 1x'), /invalid duration/);
  assert.throws(() => parseSchedule('* * * * 7'), /above maximum \(6\)/);
});

test('a schedule that never fires yields 0', () => {
  assert.equal(parseSchedule('0 0 30 2 *').next(at('2024-01-01T00:00:00Z')), 0);
});

test('time zones: wall-clock schedules follow the zone, across DST changes', () => {
  const s = parseSchedule('0 9 * * *', 'Europe/Berlin');
  assert.equal(iso(s.next(at('2024-01-10T00:00:00Z'))), '2024-01-10T08:00:00.000Z'); // CET, UTC+1
  assert.equal(iso(s.next(at('2024-07-10T00:00:00Z'))), '2024-07-10T07:00:00.000Z'); // CEST, UTC+2
  // 02:30 does not exist on 2024-03-10 in New York: it runs at 03:30 EDT (after the gap).
  const gap = parseSchedule('30 2 * * *', 'America/New_York');
  assert.equal(iso(gap.next(at('2024-03-10T05:00:00Z'))), '2024-03-10T07:30:00.000Z');
  assert.equal(iso(gap.next(at('2024-03-10T08:00:00Z'))), '2024-03-11T06:30:00.000Z');
  // A TZ= prefix picks the zone too.
  assert.equal(iso(parseSchedule('TZ=Asia/Tokyo 0 0 * * *').next(at('2024-01-01T00:00:00Z'))), '2024-01-01T15:00:00.000Z');
});

test('scheduled timestamps are formatted in the zone, as RFC 3339', () => {
  assert.equal(formatRfc3339InZone('', at('2024-01-10T08:00:00Z')), '2024-01-10T08:00:00Z');
  assert.equal(formatRfc3339InZone('Europe/Berlin', at('2024-01-10T08:00:00Z')), '2024-01-10T09:00:00+01:00');
  assert.equal(formatRfc3339InZone('America/New_York', at('2024-01-10T08:00:00Z')), '2024-01-10T03:00:00-05:00');
});
