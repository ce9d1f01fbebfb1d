import type { ControllerDescriptor } from '../context.js';
import { jobsResource, podsResource } from '../common/resources.js';
import { defaultJobWorkers, JobController } from './controller.js';
import { restJobApi } from './job-api.js';

export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job-controller',
  workers: defaultJobWorkers,
  create: ({ client, informers, clock, recorder }) =>
    new JobController({
      jobs: informers.forResource(jobsResource),
      pods: informers.forResource(podsResource),
      api: restJobApi(client),
      clock,
      recorder: recorder('job-controller'),
    }),
};
