// Every period, queue bound and back-off of the agent in one place, named as upstream's kubelet
// flags and constants name them.

/** Lease renewal, as upstream's nodeLeaseRenewIntervalFraction (0.25) of a 40 s lease. */
export const leaseRenewIntervalMs = 10_000;
export const leaseDurationSeconds = 40;
/** nodeStatusReportFrequency: the full status is re-sent at least this often, even unchanged. */
export const nodeStatusReportIntervalMs = 60_000;
/** nodeStatusUpdateFrequency: how often the status is computed and sent if it changed. */
export const nodeStatusCheckIntervalMs = 10_000;
/** The PLEG relist period: how often every live pod is synced against the runtime. */
export const podRelistIntervalMs = 1_000;
/** Housekeeping: orphaned sandboxes (pods gone from the API) are removed this often. */
export const housekeepingIntervalMs = 10_000;
/** Pod syncs running at once; each pod is synced by one worker at a time. */
export const maxConcurrentPodSyncs = 8;
/** A failed pod sync is retried with this back-off, capped. */
export const podSyncRetryBaseMs = 200;
export const podSyncRetryMaxMs = 10_000;
/** CrashLoopBackOff and ImagePullBackOff: 10 s doubling to 5 min, as upstream. */
export const containerBackOffInitialMs = 10_000;
export const containerBackOffMaxMs = 300_000;
/** Exited instances of one container kept for lastState and `logs --previous`; older ones are removed. */
export const deadContainersPerContainerName = 1;
/** Pods per node, as upstream's --max-pods default. */
export const maxPods = 110;
/** Default terminationGracePeriodSeconds when a pod has none. */
export const defaultGracePeriodSeconds = 30;
