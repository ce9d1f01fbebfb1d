// What one syncJob pass knows and shares between its phases (upstream's syncJobCtx), and what
// the controller lends it.
import type { KubeObject } from '../../api/object.js';
import type { ReadonlyStore } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import type { EventRecorder } from '../common/events.js';
import type { ControllerExpectations } from '../common/expectations.js';
import type { BackoffRecord, BackoffStore } from './backoff.js';
import type { FinalizerExpectations } from './finalizer-expectations.js';
import type { Interval } from './indexes.js';
import type { JobApi } from './job-api.js';
import type { Job, JobCondition, Pod } from './types.js';

export interface JobSyncDeps {
  jobs: ReadonlyStore<KubeObject>;
  pods: ReadonlyStore<KubeObject>;
  api: JobApi;
  clock: Clock;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  /** Sync the Job again after delayMs (the work queue's addAfter). */
  enqueueAfter(key: string, delayMs: number): void;
}

export interface SyncContext {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  /** The condition this pass will finish the Job with (interim FailureTarget/SuccessCriteriaMet first). */
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  failedIndexes?: Interval[];
  newBackoffRecord: BackoffRecord;
  expectedRemovals: ReadonlySet<string>;
  uncountedSucceeded: ReadonlySet<string>;
  uncountedFailed: ReadonlySet<string>;
  podsWithDelayedDeletionPerIndex: Map<number, Pod>;
  terminating: number;
  ready: number;
}
