import type { ControllerDescriptor } from '../context.js';
import { cronJobsResource, jobsResource } from '../common/resources.js';
import { CronJobController, defaultCronJobWorkers } from './controller.js';
import { restCronJobApi } from './cronjob-api.js';

export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob-controller',
  workers: defaultCronJobWorkers,
  create: ({ client, informers, clock, recorder }) =>
    new CronJobController({
      cronJobs: informers.forResource(cronJobsResource),
      jobs: informers.forResource(jobsResource),
      api: restCronJobApi(client),
      clock,
      recorder: recorder('cronjob-controller'),
    }),
};
