import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ControllerDescriptor } from '../context.js';
import { deploymentsResource, podDisruptionBudgetsResource, podsResource, replicaSetsResource, replicationControllersResource, statefulSetsResource } from '../common/resources.js';
import { DisruptionController } from './controller.js';
import { chainFinders, restScaleSubresourceApi, scaleSubresourceFinder } from './scale-subresource.js';
import { cacheScaleFinder } from './scale.js';

export const disruptionControllerDescriptor: ControllerDescriptor = {
  name: 'disruption',
  // Upstream runs one worker.
  workers: 1,
  create: ({ client, informers, recorder, clock }) => {
    const replicaSets = informers.forResource(replicaSetsResource);
    const deployments = informers.forResource(deploymentsResource);
    const statefulSets = informers.forResource(statefulSetsResource);
    const replicationControllers = informers.forResource(replicationControllersResource);
    const pdbs = client.resource(podDisruptionBudgetsResource);
    const pods = client.resource(podsResource);
    return new DisruptionController({
      // No short resync: events are not aggregated here, so a resync would repeat NoPods/UnmanagedPods events.
      pdbs: informers.forResource(podDisruptionBudgetsResource),
      pods: informers.forResource(podsResource),
      scaleSources: [replicaSets, deployments, statefulSets, replicationControllers],
      findScale: chainFinders(
        cacheScaleFinder({ replicaSets: replicaSets.cache, deployments: deployments.cache, statefulSets: statefulSets.cache, replicationControllers: replicationControllers.cache }),
        scaleSubresourceFinder(restScaleSubresourceApi(client, clock.now)),
      ),
      api: {
        updateStatus: (pdb: PodDisruptionBudget) => pdbs.updateStatus(pdb.metadata?.namespace, pdb as KubeObject),
        patchPodStatus: (namespace, name, patch) => pods.patch(namespace, name, patch, 'strategic', { subresource: 'status', fieldManager: 'pdb-controller' }),
      },
      recorder: recorder('controllermanager'),
      clock,
    });
  },
};
