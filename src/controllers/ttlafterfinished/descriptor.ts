import type { ControllerDescriptor } from '../context.js';
import { jobsResource } from '../common/resources.js';
import type { Job } from '../job/types.js';
import { defaultTtlWorkers, TtlAfterFinishedController } from './controller.js';

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished-controller',
  workers: defaultTtlWorkers,
  create: ({ client, informers, clock }) =>
    new TtlAfterFinishedController({
      jobs: informers.forResource(jobsResource),
      jobClient: client.resource<Job>(jobsResource),
      clock,
    }),
};
