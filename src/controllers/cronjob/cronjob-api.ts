// The API calls the CronJob controller makes; REST-backed in the manager, fake in unit tests.
import type { RestClient } from '../../client/index.js';
import { cronJobsResource, jobsResource } from '../common/resources.js';
import type { Job } from '../job/types.js';
import { cronJobApiVersion, cronJobKind, type CronJob } from './types.js';

export interface CronJobApi {
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  updateCronJobStatus(cronJob: CronJob): Promise<CronJob>;
  getJob(namespace: string, name: string): Promise<Job>;
  createJob(namespace: string, job: Job): Promise<Job>;
  /** Deletes with propagationPolicy Background, so the Job's pods go too. */
  deleteJob(namespace: string, name: string): Promise<void>;
}

export function restCronJobApi(client: RestClient): CronJobApi {
  const cronJobs = client.resource<CronJob>(cronJobsResource);
  const jobs = client.resource<Job>(jobsResource);
  return {
    getCronJob: (namespace, name) => cronJobs.get(namespace, name),
    updateCronJobStatus: (cronJob) => cronJobs.updateStatus(cronJob.metadata?.namespace, { ...cronJob, apiVersion: cronJobApiVersion, kind: cronJobKind, status: withoutEmptyActive(cronJob.status) }),
    getJob: (namespace, name) => jobs.get(namespace, name),
    createJob: (namespace, job) => jobs.create(namespace, job),
    async deleteJob(namespace, name) {
      await jobs.delete(namespace, name, { propagationPolicy: 'Background' });
    },
  };
}

/** Go omits an empty status.active (omitempty); write it the same way. */
function withoutEmptyActive(status: CronJob['status']): CronJob['status'] {
  if (!status || (status.active && status.active.length > 0)) return status;
  const { active: _active, ...rest } = status;
  return rest;
}
