import type { KubeObject } from '../../api/object.js';
import { isNotFound } from '../../client/index.js';
import type { ControllerDescriptor } from '../context.js';
import { nodesResource, podsResource } from '../common/resources.js';
import { podGcFieldManager, PodGcController } from './controller.js';

export const podGarbageCollectorDescriptor: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  workers: 1,
  create: ({ client, informers, clock, terminatedPodGcThreshold }) => {
    const pods = client.resource(podsResource);
    const nodes = client.resource(nodesResource);
    return new PodGcController({
      pods: informers.forResource(podsResource),
      nodes: informers.forResource(nodesResource),
      clock,
      terminatedPodThreshold: terminatedPodGcThreshold,
      api: {
        async applyPodStatus(namespace, name, status) {
          const apply = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, status } as KubeObject;
          await pods.patch(namespace, name, apply, 'apply', { fieldManager: podGcFieldManager, force: true, subresource: 'status' });
        },
        async forceDelete(namespace, name) {
          try {
            await pods.delete(namespace, name, { gracePeriodSeconds: 0 });
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        },
        async nodeExists(name) {
          try {
            await nodes.get(undefined, name);
            return true;
          } catch (error) {
            if (isNotFound(error)) return false;
            throw error;
          }
        },
      },
    });
  },
};
