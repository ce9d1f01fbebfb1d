// ReplicationControllers run on the ReplicaSet controller's logic (upstream's ReplicationManager
// does the same); only the kind, its map selector and the event source differ.
import type { ControllerDescriptor } from '../context.js';
import { newReplicaController } from '../replicaset/descriptor.js';
import { replicationControllerKind } from '../replicaset/kind.js';

/** Upstream's --concurrent-rc-syncs default is 5. */
export const replicationControllerDescriptor: ControllerDescriptor = {
  name: 'replicationcontroller',
  workers: 5,
  create: (context) => newReplicaController(replicationControllerKind, context),
};
