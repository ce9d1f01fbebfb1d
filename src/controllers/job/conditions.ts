// Job conditions as upstream sets them. In v1.32 (JobPodReplacementPolicy and JobSuccessPolicy on)
// a Job is first marked FailureTarget or SuccessCriteriaMet; Failed or Complete follows once its
// pods are gone and counted, so "finished" really means no pod of it is still running.
import { rfc3339 } from '../common/clock.js';
import type { Job, JobCondition } from './types.js';

export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): JobCondition {
  const now = rfc3339(nowMs);
  return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

function isTrue(job: Job, type: string): boolean {
  return findCondition(job.status?.conditions, type)?.status === 'True';
}

/** Complete or Failed is True (upstream's IsJobFinished). */
export function isJobFinished(job: Job): boolean {
  return isTrue(job, 'Complete') || isTrue(job, 'Failed');
}

/** The finishing condition's type ("Complete" or "Failed") and when it was set. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function isJobSucceeded(job: Job): boolean {
  return isTrue(job, 'Complete');
}

/**
 * Sets the condition's status, reason and message, or appends it; a condition going from absent
 * to False is not added. Returns whether anything changed (ensureJobConditionStatus).
 */
export function ensureConditionStatus(conditions: JobCondition[], type: string, status: string, reason: string, message: string, nowMs: number): boolean {
  const index = conditions.findIndex((condition) => condition.type === type);
  if (index >= 0) {
    const existing = conditions[index]!;
    if (existing.status === status && existing.reason === reason && existing.message === message) return false;
    conditions[index] = newCondition(type, status, reason, message, nowMs);
    return true;
  }
  if (status === 'False') return false;
  conditions.push(newCondition(type, status, reason, message, nowMs));
  return true;
}

export const completionsReachedReason = 'CompletionsReached';
export const completionsReachedMessage = 'Reached expected number of succeeded pods';
export const backoffLimitExceededReason = 'BackoffLimitExceeded';
export const backoffLimitExceededMessage = 'Job has reached the specified backoff limit';
export const deadlineExceededReason = 'DeadlineExceeded';
export const deadlineExceededMessage = 'Job was active longer than specified deadline';
export const podFailurePolicyReason = 'PodFailurePolicy';
export const maxFailedIndexesExceededReason = 'MaxFailedIndexesExceeded';
export const maxFailedIndexesExceededMessage = 'Job has exceeded the specified maximal number of failed indexes';
export const failedIndexesReason = 'FailedIndexes';
export const failedIndexesMessage = 'Job has failed indexes';
