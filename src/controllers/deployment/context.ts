// What the Deployment controller's phases (sync, rolling, recreate, progress) share: the API,
// the caches, the clock, the recorder and the queue — upstream's DeploymentController fields.
import type { ReadonlyStore, ResourceClient } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import type { Deployment } from './types.js';

export interface DeploymentSyncContext {
  deploymentClient: Pick<ResourceClient, 'get' | 'updateStatus' | 'patch'>;
  replicaSetClient: Pick<ResourceClient, 'create' | 'update' | 'delete' | 'patch'>;
  replicaSetCache: ReadonlyStore<KubeObject>;
  recorder: EventRecorder;
  clock: Clock;
  enqueueAfter(d: Deployment, delayMs: number): void;
  enqueueRateLimited(d: Deployment): void;
}

/**
 * Writes d's status and carries the new resourceVersion back into d, so later writes in the
 * same sync do not conflict with this one.
 */
export async function updateDeploymentStatus(ctx: DeploymentSyncContext, d: Deployment): Promise<void> {
  const updated = await ctx.deploymentClient.updateStatus(d.metadata?.namespace, d);
  d.metadata!.resourceVersion = updated.metadata?.resourceVersion;
}
