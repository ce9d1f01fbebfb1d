// Upstream's job controller (pkg/controller/job/job_controller.go): informer handlers only find
// the Job a pod belongs to and enqueue its key; syncJob (sync.ts) does the work. A second queue
// takes the tracking finalizer off pods whose Job is gone or finished (orphans).
import { ItemExponentialRateLimiter, isNotFound, objectKey, runWorkers, WorkQueue } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { controllerOf, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { ControllerExpectations } from '../common/expectations.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { BackoffStore } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { jobApiBackOffBaseMs, jobApiBackOffMaxMs, jobControllerName, jobTrackingFinalizer, syncJobBatchPeriodMs } from './constants.js';
import { FinalizerExpectations } from './finalizer-expectations.js';
import { hasTrackingFinalizer } from './indexes.js';
import { removeTrackingFinalizerPatch, type JobApi } from './job-api.js';
import { syncJob } from './sync.js';
import type { JobSyncDeps } from './sync-context.js';
import { jobApiVersion, jobKind, type Job, type Pod } from './types.js';

/** Upstream's --concurrent-job-syncs default. */
export const defaultJobWorkers = 5;

export interface JobControllerOptions {
  jobs: InformerView;
  pods: InformerView;
  api: JobApi;
  clock: Clock;
  recorder: EventRecorder;
}

export class JobController {
  readonly queue = new WorkQueue<string>({ name: 'job', rateLimiter: new ItemExponentialRateLimiter(jobApiBackOffBaseMs, jobApiBackOffMaxMs) });
  readonly orphanQueue = new WorkQueue<string>({ name: 'job_orphan_pod', rateLimiter: new ItemExponentialRateLimiter(jobApiBackOffBaseMs, jobApiBackOffMaxMs) });
  readonly deps: JobSyncDeps;

  constructor(private readonly options: JobControllerOptions) {
    this.deps = {
      jobs: options.jobs.cache,
      pods: options.pods.cache,
      api: options.api,
      clock: options.clock,
      recorder: options.recorder,
      expectations: new ControllerExpectations(options.clock),
      finalizerExpectations: new FinalizerExpectations(),
      backoff: new BackoffStore(),
      enqueueAfter: (key, delayMs) => this.queue.addAfter(key, Math.max(0, delayMs)),
    };
    options.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, job) => this.updateJob(old as Job, job as Job),
      onDelete: (object) => {
        const job = unwrapDeleted(object) as Job;
        this.queue.add(objectKey(job));
        this.cleanupPodFinalizers(job);
      },
    });
    options.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod as Pod),
      onUpdate: (old, pod) => this.updatePod(old as Pod, pod as Pod),
      onDelete: (object) => this.deletePod(unwrapDeleted(object) as Pod, true),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.jobs.waitForSync()) || !(await this.options.pods.waitForSync())) return;
    await Promise.all([runWorkers(this.queue, workers, (key) => this.syncJob(key)), runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key))]);
  }

  shutDown(): void {
    this.queue.shutDown();
    this.orphanQueue.shutDown();
  }

  syncJob(key: string): Promise<void> {
    return syncJob(this.deps, key);
  }

  /** Takes the tracking finalizer off a pod whose Job no longer counts it. */
  async syncOrphanPod(key: string): Promise<void> {
    const pod = this.options.pods.cache.get(key) as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerOf(pod);
    if (ref) {
      // Not a batch/v1 Job's pod: its finalizer is not ours to remove.
      if (ref.kind !== jobKind || ref.apiVersion !== jobApiVersion) return;
      const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (job && job.spec?.managedBy !== undefined && job.spec.managedBy !== jobControllerName) return;
      // Adopted meanwhile by a running Job, which will count it.
      if (job && !isJobFinished(job)) return;
    }
    try {
      await this.options.api.patchPod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', removeTrackingFinalizerPatch(jobTrackingFinalizer));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  // --- handlers: find the Job, enqueue its key ------------------------------------------------

  private updateJob(old: Job, job: Job): void {
    const key = objectKey(job);
    if (old.metadata?.uid !== job.metadata?.uid) this.deps.expectations.deleteExpectations(key);
    // Spec changes sync at once; status-only updates (mostly our own) are batched.
    if (old.metadata?.generation === job.metadata?.generation) this.queue.addAfter(key, syncJobBatchPeriodMs);
    else this.queue.add(key);
    // A finished Job must not leave finalizers behind; normally it never does (backup, as upstream).
    if (isJobFinished(job)) this.cleanupPodFinalizers(job);
    const deadline = job.spec?.activeDeadlineSeconds;
    if (job.status?.startTime && deadline !== undefined && deadline !== old.spec?.activeDeadlineSeconds) {
      this.queue.addAfter(key, Math.max(0, deadline * 1000 - (this.options.clock.now() - Date.parse(job.status.startTime))));
    }
  }

  private addPod(pod: Pod): void {
    // After a restart a pod may show up already being deleted: not a creation we wait for.
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod, false);
    const ref = controllerOf(pod);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!job) return;
      const key = objectKey(job);
      this.deps.expectations.creationObserved(key);
      this.queue.addAfter(key, syncJobBatchPeriodMs);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    for (const job of this.jobsSelecting(pod)) this.queue.addAfter(objectKey(job), syncJobBatchPeriodMs);
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod, false);
    const finalizerRemoved = !hasTrackingFinalizer(pod);
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = ref?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const oldJob = this.resolveControllerRef(old.metadata?.namespace ?? '', oldRef);
      if (oldJob) {
        if (finalizerRemoved) this.deps.finalizerExpectations.removalObserved(objectKey(oldJob), pod.metadata?.uid ?? '');
        this.queue.addAfter(objectKey(oldJob), syncJobBatchPeriodMs);
      }
    }
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!job) return;
      if (finalizerRemoved) this.deps.finalizerExpectations.removalObserved(objectKey(job), pod.metadata?.uid ?? '');
      this.queue.addAfter(objectKey(job), syncJobBatchPeriodMs);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.jobsSelecting(pod)) this.queue.addAfter(objectKey(job), syncJobBatchPeriodMs);
  }

  /** final: the pod is gone (not just marked for deletion). */
  private deletePod(pod: Pod, final: boolean): void {
    const ref = controllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (!ref) {
      // Maybe a Job's pod whose reference the garbage collector removed.
      if (hasFinalizer && !final) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      // syncJob will not take this finalizer off.
      if (hasFinalizer && !final) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.deps.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.deps.finalizerExpectations.removalObserved(key, pod.metadata?.uid ?? '');
    this.queue.addAfter(key, syncJobBatchPeriodMs);
  }

  /** Enqueues the Job's pods that still carry the tracking finalizer for the orphan worker. */
  private cleanupPodFinalizers(job: Job): void {
    for (const pod of this.options.pods.cache.byIndex('namespace', job.metadata?.namespace ?? '') as Pod[]) {
      if (hasTrackingFinalizer(pod) && controllerOf(pod)?.uid === job.metadata?.uid) this.orphanQueue.add(objectKey(pod));
    }
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Job | undefined {
    if (ref.kind !== jobKind) return undefined;
    const job = this.options.jobs.cache.get(`${namespace}/${ref.name}`) as Job | undefined;
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches an orphan pod (GetPodJobs). */
  private jobsSelecting(pod: Pod): Job[] {
    const jobs = this.options.jobs.cache.byIndex('namespace', pod.metadata?.namespace ?? '') as Job[];
    return jobs.filter((job) => {
      try {
        const selector = labelSelectorFromObject(job.spec?.selector);
        return !selector.isEmpty() && selector.matches(pod.metadata?.labels);
      } catch {
        return false;
      }
    });
  }
}
