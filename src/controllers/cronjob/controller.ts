// Upstream's CronJob controller v2 (pkg/controller/cronjob/cronjob_controllerv2.go): each CronJob
// is requeued for its next scheduled time, and Job events wake their CronJob so finished Jobs
// leave status.active and the history is trimmed. Handlers only enqueue keys.
import { objectKey, runWorkers, WorkQueue } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { controllerOf, type OwnerReference } from '../common/controller-ref.js';
import type { EventRecorder } from '../common/events.js';
import { unwrapDeleted, type InformerView } from '../informer-view.js';
import type { Job } from '../job/types.js';
import type { CronJobApi } from './cronjob-api.js';
import { nextScheduleDelayMs } from './schedule-times.js';
import { cleanupFinishedJobs, scheduleOf, syncCronJob, type CronJobSyncDeps } from './sync.js';
import { cronJobKind, type CronJob } from './types.js';

/** Upstream's --concurrent-cron-job-syncs default. */
export const defaultCronJobWorkers = 5;

export interface CronJobControllerOptions {
  cronJobs: InformerView;
  jobs: InformerView;
  api: CronJobApi;
  clock: Clock;
  recorder: EventRecorder;
}

export class CronJobController {
  readonly queue = new WorkQueue<string>({ name: 'cronjob' });
  private readonly deps: CronJobSyncDeps;

  constructor(private readonly options: CronJobControllerOptions) {
    this.deps = { api: options.api, clock: options.clock, recorder: options.recorder };
    options.cronJobs.addEventHandler({
      onAdd: (cronJob) => this.queue.add(objectKey(cronJob)),
      onUpdate: (old, cronJob) => this.updateCronJob(old as CronJob, cronJob as CronJob),
      onDelete: (object) => this.queue.add(objectKey(unwrapDeleted(object))),
    });
    options.jobs.addEventHandler({
      onAdd: (job) => this.enqueueOwner(job as Job),
      onUpdate: (old, job) => {
        if (old.metadata?.resourceVersion === job.metadata?.resourceVersion) return;
        const oldRef = controllerOf(old);
        if (oldRef && oldRef.uid !== controllerOf(job)?.uid) this.enqueueRef(old.metadata?.namespace ?? '', oldRef);
        this.enqueueOwner(job as Job);
      },
      onDelete: (object) => this.enqueueOwner(unwrapDeleted(object) as Job),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.cronJobs.waitForSync()) || !(await this.options.jobs.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key));
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  /** Syncs one CronJob and requeues it for its next scheduled time; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const requeueAfterMs = await this.syncOnce(key);
    if (requeueAfterMs !== undefined) this.queue.addAfter(key, requeueAfterMs);
  }

  /** The sync itself; resolves with when to look again. */
  async syncOnce(key: string): Promise<number | undefined> {
    const cached = this.options.cronJobs.cache.get(key) as CronJob | undefined;
    if (!cached?.spec) return undefined;
    const namespace = cached.metadata?.namespace ?? '';
    // As upstream: the Jobs whose controller reference names this CronJob.
    const jobs = (this.options.jobs.cache.byIndex('namespace', namespace) as Job[]).filter((job) => {
      const ref = controllerOf(job);
      return ref?.kind === cronJobKind && ref.name === cached.metadata?.name;
    });
    const cronJob = structuredClone(cached) as CronJob;
    cronJob.apiVersion ??= 'batch/v1';
    cronJob.kind ??= cronJobKind;
    const cleaned = await cleanupFinishedJobs(this.deps, cronJob, jobs);
    let result;
    let syncError: unknown;
    try {
      result = await syncCronJob(this.deps, cronJob, jobs);
    } catch (error) {
      syncError = error;
    }
    if (cleaned || result?.updateStatus) await this.options.api.updateCronJobStatus(result?.cronJob ?? cronJob);
    if (syncError) throw syncError;
    return result?.requeueAfterMs;
  }

  private updateCronJob(old: CronJob, cronJob: CronJob): void {
    const key = objectKey(cronJob);
    if (old.spec?.schedule !== cronJob.spec?.schedule || old.spec?.timeZone !== cronJob.spec?.timeZone) {
      // A new schedule: come back at its next time (sooner than the old requeue wins in the queue).
      try {
        this.queue.addAfter(key, nextScheduleDelayMs(cronJob, this.options.clock.now(), scheduleOf(cronJob)));
      } catch {
        this.options.recorder.event(cronJob, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cronJob.spec?.schedule ?? ''}`);
      }
      return;
    }
    this.queue.add(key);
  }

  private enqueueOwner(job: Job): void {
    const ref = controllerOf(job);
    if (ref) this.enqueueRef(job.metadata?.namespace ?? '', ref);
  }

  private enqueueRef(namespace: string, ref: OwnerReference): void {
    if (ref.kind !== cronJobKind) return;
    const cronJob = this.options.cronJobs.cache.get(`${namespace}/${ref.name}`);
    if (cronJob?.metadata?.uid === ref.uid) this.queue.add(`${namespace}/${ref.name}`);
  }
}
