// Back-off before pods of a Job are re-created after failures (upstream's backoff_utils.go): the
// delay is 10 s doubling for each failure since the last success, capped, measured from when the
// last failed pod finished. Records live in memory, as upstream's, and go with the Job.
import type { Clock } from '../common/clock.js';
import { podCondition } from '../common/pod-util.js';
import { jobPodFailureBackOffBaseMs, jobPodFailureBackOffMaxMs } from './constants.js';
import type { Pod } from './types.js';

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTimeMs?: number;
}

/** When a pod finished: its containers' last finish, else Ready=False's transition, else deletion, else creation. */
export function podFinishedTimeMs(pod: Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const status of statuses) {
    const finishedAt = status.state?.terminated?.finishedAt;
    if (!finishedAt) {
      latest = undefined;
      break;
    }
    latest = Math.max(latest ?? -Infinity, Date.parse(finishedAt));
  }
  if (latest !== undefined && statuses.length > 0) return latest;
  const ready = podCondition(pod, 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata?.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(pod.metadata?.creationTimestamp ?? '') || 0;
}

/** base·2^(failures-1), capped, minus the time since the last failure; 0 when pods may be created now. */
export function remainingBackoffMs(clock: Clock, failures: number, lastFailureTimeMs: number | undefined): number {
  if (failures === 0 || lastFailureTimeMs === undefined) return 0;
  let delay = jobPodFailureBackOffBaseMs;
  for (let i = 1; i < failures; i++) {
    delay *= 2;
    if (delay >= jobPodFailureBackOffMaxMs) {
      delay = jobPodFailureBackOffMaxMs;
      break;
    }
  }
  const elapsed = clock.now() - lastFailureTimeMs;
  return delay < elapsed ? 0 : delay - elapsed;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** The record after counting newly finished pods; saved only once the status carrying them is written. */
  newRecord(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const record: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTimeMs: old?.lastFailureTimeMs };
    const failedTimes = newFailed.map(podFinishedTimeMs).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return record;
      record.failuresAfterLastSuccess += failedTimes.length;
      record.lastFailureTimeMs = failedTimes[failedTimes.length - 1];
      return record;
    }
    record.failuresAfterLastSuccess = 0;
    record.lastFailureTimeMs = undefined;
    const lastSuccess = Math.max(...newSucceeded.map(podFinishedTimeMs));
    // Only failures after the last success count.
    for (let i = failedTimes.length - 1; i >= 0 && failedTimes[i]! > lastSuccess; i--) {
      record.lastFailureTimeMs ??= failedTimes[i];
      record.failuresAfterLastSuccess++;
    }
    return record;
  }

  update(record: BackoffRecord): void {
    this.records.set(record.key, record);
  }

  remove(key: string): void {
    this.records.delete(key);
  }

  get(key: string): BackoffRecord | undefined {
    return this.records.get(key);
  }
}
