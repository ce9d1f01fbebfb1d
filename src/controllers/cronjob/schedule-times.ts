// Which scheduled time a CronJob should run now, and when to look again (upstream's
// mostRecentScheduleTime, nextScheduleTime and nextScheduleTimeDuration in cronjob/utils.go).
import type { CronSchedule } from './cron/schedule.js';
import type { CronJob } from './types.js';

/** Past this many missed start times the controller warns (TooManyMissedTimes) instead of listing them. */
export const missedSchedulesWarnThreshold = 100;
/** The requeue lands this long after the scheduled time so the sync sees it as due. */
export const nextScheduleDeltaMs = 100;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  earliestMs: number;
  /** The latest scheduled time not after now, if any since earliestMs. */
  mostRecentMs?: number;
  missed: MissedSchedules;
  error?: string;
}

export function mostRecentScheduleTime(cronJob: CronJob, nowMs: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliestMs = Date.parse(cronJob.metadata?.creationTimestamp ?? '') || 0;
  if (cronJob.status?.lastScheduleTime) earliestMs = Date.parse(cronJob.status.lastScheduleTime);
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined && deadline !== null) {
    // Nothing older than the starting deadline will be started anyway.
    earliestMs = Math.max(earliestMs, nowMs - deadline * 1000);
  }
  const t1 = schedule.next(earliestMs);
  const t2 = schedule.next(t1);
  if (nowMs < t1) return { earliestMs, missed: 'none' };
  if (nowMs < t2) return { earliestMs, mostRecentMs: t1, missed: 'none' };
  const betweenSeconds = Math.round((t2 - t1) / 1000);
  if (betweenSeconds < 1) return { earliestMs, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  // A rough count of the schedules missed since t1, as upstream estimates it.
  const missedCount = Math.floor(Math.floor((nowMs - t1) / 1000) / betweenSeconds) + 1;
  // Start two intervals before the estimate and walk forward, so irregular schedules come out right.
  const potentialEarliest = t1 + (missedCount - 2) * betweenSeconds * 1000;
  let mostRecentMs: number | undefined;
  for (let t = schedule.next(potentialEarliest); t !== 0 && t <= nowMs; t = schedule.next(t)) mostRecentMs = t;
  const missed: MissedSchedules = missedCount > missedSchedulesWarnThreshold ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliestMs, mostRecentMs, missed };
}

/** The scheduled time to run now, if one is due (the starting deadline applied). */
export function nextScheduleTime(cronJob: CronJob, nowMs: number, schedule: CronSchedule): { scheduledMs?: number; tooManyMissed: boolean; error?: string } {
  const result = mostRecentScheduleTime(cronJob, nowMs, schedule, true);
  if (result.mostRecentMs === undefined || result.mostRecentMs > nowMs) return { tooManyMissed: false, error: result.error };
  return { scheduledMs: result.mostRecentMs, tooManyMissed: result.missed === 'many', error: result.error };
}

/** How long until the next scheduled time after the most recent one (plus a small delta). */
export function nextScheduleDelayMs(cronJob: CronJob, nowMs: number, schedule: CronSchedule): number {
  const result = mostRecentScheduleTime(cronJob, nowMs, schedule, false);
  let fromMs: number;
  if (result.error) fromMs = nowMs;
  else if (result.mostRecentMs !== undefined) fromMs = result.mostRecentMs;
  else fromMs = result.missed === 'none' ? result.earliestMs : nowMs;
  return schedule.next(fromMs) + nextScheduleDeltaMs - nowMs;
}
