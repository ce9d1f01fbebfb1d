import type { ControllerDescriptor } from '../context.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../common/resources.js';
import { DeploymentController } from './controller.js';

/** Upstream's --concurrent-deployment-syncs default is 5. */
export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment',
  workers: 5,
  create: ({ client, informers, clock, recorder }) =>
    new DeploymentController({
      deployments: informers.forResource(deploymentsResource),
      replicaSets: informers.forResource(replicaSetsResource),
      pods: informers.forResource(podsResource),
      deploymentClient: client.resource(deploymentsResource),
      replicaSetClient: client.resource(replicaSetsResource),
      recorder: recorder('deployment-controller'),
      clock,
    }),
};
