// The API calls the job controller makes (upstream's podControl plus the Jobs client). REST-backed
// in the controller manager; unit tests pass a fake that records the calls.
import type { RestClient } from '../../client/index.js';
import { jobsResource, podsResource } from '../common/resources.js';
import { jobApiVersion, jobKind, type Job, type Pod } from './types.js';

export interface JobApi {
  getJob(namespace: string, name: string): Promise<Job>;
  /** PUT .../status with the Job's resourceVersion: 409 when it changed meanwhile. */
  updateJobStatus(job: Job): Promise<Job>;
  createPod(namespace: string, pod: Pod): Promise<Pod>;
  deletePod(namespace: string, name: string): Promise<void>;
  /** A strategic merge patch of a pod. */
  patchPod(namespace: string, name: string, patch: unknown): Promise<void>;
}

export function restJobApi(client: RestClient): JobApi {
  const jobs = client.resource<Job>(jobsResource);
  const pods = client.resource(podsResource);
  return {
    getJob: (namespace, name) => jobs.get(namespace, name),
    updateJobStatus: (job) => jobs.updateStatus(job.metadata?.namespace, { ...job, apiVersion: jobApiVersion, kind: jobKind }),
    createPod: async (namespace, pod) => (await pods.create(namespace, pod as never)) as Pod,
    async deletePod(namespace, name) {
      await pods.delete(namespace, name);
    },
    async patchPod(namespace, name, patch) {
      await pods.patch(namespace, name, patch, 'strategic');
    },
  };
}

/** The patch that takes the tracking finalizer off a pod and leaves its other finalizers alone. */
export function removeTrackingFinalizerPatch(finalizer: string): unknown {
  return { metadata: { '$deleteFromPrimitiveList/finalizers': [finalizer] } };
}
