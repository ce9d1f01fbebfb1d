// Upstream's TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
// spec.ttlSecondsAfterFinished is deleted (propagation Foreground) that long after its Complete or
// Failed condition was set. The Job is re-read right before deletion, and the delete carries its
// resourceVersion, so a Job whose TTL was just changed is not deleted by a stale decision.
import { isConflict, isNotFound, objectKey, runWorkers, WorkQueue, type ResourceClient } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { finishedCondition } from '../job/conditions.js';
import type { Job } from '../job/types.js';

/** Upstream's --concurrent-ttl-after-finished-syncs default. */
export const defaultTtlWorkers = 5;

export interface TtlAfterFinishedOptions {
  jobs: InformerView;
  jobClient: Pick<ResourceClient<Job>, 'get' | 'delete'>;
  clock: Clock;
}

export function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished !== undefined && job.spec.ttlSecondsAfterFinished !== null && finishedCondition(job) !== undefined;
}

/** Milliseconds until the Job expires (≤ 0: expired); undefined when it needs no cleanup. */
export function timeLeftMs(job: Job, nowMs: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const finishedAt = Date.parse(finishedCondition(job)?.lastTransitionTime ?? '');
  if (Number.isNaN(finishedAt)) throw new Error(`unable to find the time when the Job ${objectKey(job)} finished`);
  // A finish time in the future (clock skew) simply defers the cleanup.
  return finishedAt + job.spec!.ttlSecondsAfterFinished! * 1000 - nowMs;
}

export class TtlAfterFinishedController {
  readonly queue = new WorkQueue<string>({ name: 'ttl_jobs_to_delete' });

  constructor(private readonly options: TtlAfterFinishedOptions) {
    const enqueue = (object: Job): void => {
      if (needsCleanup(object)) this.queue.add(objectKey(object));
    };
    options.jobs.addEventHandler({
      onAdd: (job) => enqueue(job as Job),
      onUpdate: (_old, job) => enqueue(job as Job),
      onDelete: (object) => this.queue.forget(objectKey(unwrapDeleted(object))),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.jobs.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.processJob(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  async processJob(key: string): Promise<void> {
    const cached = this.options.jobs.cache.get(key) as Job | undefined;
    if (!cached || !this.expired(key, cached)) return;
    const [namespace = '', name = ''] = key.split('/');
    let fresh: Job;
    try {
      fresh = await this.options.jobClient.get(namespace, name);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    // The cache may be stale (TTL changed, Job restarted): decide again on the live object.
    if (!this.expired(key, fresh)) return;
    try {
      await this.options.jobClient.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { resourceVersion: fresh.metadata?.resourceVersion } });
    } catch (error) {
      if (isNotFound(error)) return;
      // Changed since we read it: the update event brings it back.
      if (isConflict(error)) return;
      throw error;
    }
  }

  /** True when the TTL has run out; otherwise requeues for when it will. */
  private expired(key: string, job: Job): boolean {
    const left = timeLeftMs(job, this.options.clock.now());
    if (left === undefined) return false;
    if (left <= 0) return true;
    this.queue.addAfter(key, left);
    return false;
  }
}
