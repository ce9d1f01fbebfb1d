// The parts of batch/v1 CronJob the controller reads and writes (mutable copies).
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import type { JobSpec } from '../job/types.js';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace' | string;
  suspend?: boolean;
  jobTemplate: { metadata?: ObjectMeta; spec?: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export type CronJob = KubeObject & { spec?: CronJobSpec; status?: CronJobStatus };

export const cronJobApiVersion = 'batch/v1';
export const cronJobKind = 'CronJob';
/** Upstream's CronJobScheduledTimestampAnnotation (on by default since v1.29). */
export const cronJobScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
