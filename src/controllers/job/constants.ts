// Upstream's names and limits for the job controller (pkg/apis/batch and job_controller.go).

/** Pods keep this finalizer until the controller has counted them in the Job's status. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
/** PodIndexLabel (beta, on in v1.32): the index as a label as well. */
export const jobCompletionIndexLabel = 'batch.kubernetes.io/job-completion-index';
export const jobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const jobIndexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const jobCompletionIndexEnvName = 'JOB_COMPLETION_INDEX';
/** The only spec.managedBy value this controller acts on (absent means the same). */
export const jobControllerName = 'kubernetes.io/job-controller';

/** Pod events wait this long so a burst of them becomes one sync (syncJobBatchPeriod). */
export const syncJobBatchPeriodMs = 1_000;
/** Failed syncs are retried from 1 s doubling to 1 min (DefaultJobApiBackOff, MaxJobApiBackOff). */
export const jobApiBackOffBaseMs = 1_000;
export const jobApiBackOffMaxMs = 60_000;
/**
 * Pod re-creation after failures waits 10 s doubling per consecutive failure. Upstream's code caps it
 * at 10 minutes (MaxJobPodFailureBackOff) although the user documentation still says six.
 */
export const jobPodFailureBackOffBaseMs = 10_000;
export const jobPodFailureBackOffMaxMs = 10 * 60_000;
/** Pod UIDs recorded in status.uncountedTerminatedPods per sync, keeping the status under ~20 KB. */
export const maxUncountedPods = 500;
/** Pods created or deleted in one sync, so one big Job does not starve the others. */
export const maxPodCreateDeletePerSync = 500;
/** Creations start with one and double while they succeed (controller.SlowStartInitialBatchSize). */
export const slowStartInitialBatchSize = 1;
/** Generated names get 5 random characters; the prefix may take the rest of 63. */
export const maxGeneratedNameLength = 58;
