import { controllerRevisionsResource, persistentVolumeClaimsResource, podsResource, statefulSetsResource } from '../common/resources.js';
import type { ControllerDescriptor } from '../context.js';
import { StatefulSetController } from './controller.js';

export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: 'statefulset',
  // Upstream's --concurrent-statefulset-syncs default.
  workers: 5,
  create: ({ client, informers, clock, recorder }) =>
    new StatefulSetController({
      sets: informers.forResource(statefulSetsResource),
      pods: informers.forResource(podsResource),
      revisions: informers.forResource(controllerRevisionsResource),
      claims: informers.forResource(persistentVolumeClaimsResource),
      setClient: client.resource(statefulSetsResource),
      podClient: client.resource(podsResource),
      claimClient: client.resource(persistentVolumeClaimsResource),
      revisionClient: client.resource(controllerRevisionsResource),
      recorder: recorder('statefulset-controller'),
      clock,
    }),
};
