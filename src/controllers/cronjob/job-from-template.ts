// The Job a CronJob creates for one scheduled time (upstream's getJobFromTemplate2): named
// "<cronjob>-<scheduled time in minutes since the epoch>" so a time is never run twice, with the
// scheduled time annotated in the CronJob's zone.
import { newControllerRef } from '../common/controller-ref.js';
import { jobApiVersion, jobKind, type Job } from '../job/types.js';
import { formatRfc3339InZone } from './cron/zone.js';
import { cronJobApiVersion, cronJobKind, cronJobScheduledTimestampAnnotation, type CronJob } from './types.js';

export function jobNameFor(cronJob: CronJob, scheduledMs: number): string {
  return `${cronJob.metadata?.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

export function jobFromTemplate(cronJob: CronJob, scheduledMs: number): Job {
  const template = cronJob.spec?.jobTemplate;
  return {
    apiVersion: jobApiVersion,
    kind: jobKind,
    metadata: {
      name: jobNameFor(cronJob, scheduledMs),
      namespace: cronJob.metadata?.namespace,
      labels: { ...(template?.metadata?.labels ?? {}) },
      annotations: { ...(template?.metadata?.annotations ?? {}), [cronJobScheduledTimestampAnnotation]: formatRfc3339InZone(cronJob.spec?.timeZone ?? '', scheduledMs) },
      ownerReferences: [newControllerRef(cronJob, cronJobApiVersion, cronJobKind)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}
