import type { ControllerContext, ControllerDescriptor } from '../context.js';
import { podsResource } from '../common/resources.js';
import { ReplicaSetController } from './controller.js';
import { replicaSetKind, type ReplicaKind } from './kind.js';

/** The controller for one replica kind, wired to the shared informers. */
export function newReplicaController(kind: ReplicaKind, { client, informers, clock, recorder }: ControllerContext): ReplicaSetController {
  return new ReplicaSetController({
    kind,
    owners: informers.forResource(kind.resource),
    pods: informers.forResource(podsResource),
    ownerClient: client.resource(kind.resource),
    podClient: client.resource(podsResource),
    recorder: recorder(kind.eventComponent),
    clock,
  });
}

/** Upstream's --concurrent-replicaset-syncs default is 5. */
export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  workers: 5,
  create: (context) => newReplicaController(replicaSetKind, context),
};
