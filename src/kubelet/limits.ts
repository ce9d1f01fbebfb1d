// Every period, queue bound and back-off of the agent in one place, named as upstream's kubelet
// flags and constants name them.

/** Lease renewal, as upstream's nodeLeaseRenewIntervalFraction (0.25) of a 40 s lease. */
export const leaseRenewIntervalMs = 10_000;
export const leaseDurationSeconds = 40;
/** nodeStatusReportFrequency: the full status is re-sent at least this often, even unchanged. */
export const nodeStatusReportIntervalMs = 60_000;
/** nodeStatusUpdateFrequency: how often the status is computed and sent if it changed. */
export const nodeStatusCheckIntervalMs = 10_000;
/** The PLEG relist period: how often the runtime is listed; pods whose containers changed are synced. */
export const podRelistIntervalMs = 1_000;
/** syncFrequency: every live pod is synced at least this often, changed or not. */
export const podResyncIntervalMs = 60_000;
/** A pod whose container could not start (image, config, create error) is retried after this long. */
export const podErrorRetryMs = 10_000;
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
/** ContainerGCPeriod: dead containers and sandboxes are collected this often (policy: src/kubelet/gc/policy.ts). */
export const containerGcPeriodMs = 60_000;
/** ImageGCPeriod: the image filesystem is checked against --image-gc-high-threshold this often. */
export const imageGcPeriodMs = 300_000;
/** A blob written this recently is not swept although no image refers to it: a pull writes blobs before registering its image. */
export const unreferencedBlobGraceMs = 600_000;
/** Orphaned pod directories removed per housekeeping pass; the rest wait for the next. */
export const maxOrphanedPodDirsPerPass = 100;
/** Pods per node, as upstream's --max-pods default. */
export const maxPods = 110;
/** Default terminationGracePeriodSeconds when a pod has none. */
export const defaultGracePeriodSeconds = 30;
/** How often <data-dir>/manifests is read for static pods, as upstream's fileCheckFrequency. */
export const staticPodCheckIntervalMs = 20_000;
/** Probes running at once across the node; a probe past this waits for a slot. */
export const maxConcurrentProbes = 32;
/** Bytes of a probe's or hook's output kept (exec output, HTTP body), as upstream's maxProbeRespLen-ish bound. */
export const maxProbeOutputBytes = 10 * 1024;
/** Redirects an httpGet probe follows on the same host, as Go's http.Client. */
export const maxProbeRedirects = 10;
/** Grace left for SIGTERM after a preStop hook used up the rest, as upstream's minimumGracePeriodInSeconds. */
export const minimumGracePeriodSeconds = 2;
/** configMap, secret, downwardAPI and projected volumes are re-rendered this often (updates reach pods within it). */
export const volumeRefreshIntervalMs = 10_000;
/** Service-account tokens the kubelet requests live this long, and are renewed after 80% of it, as upstream. */
export const serviceAccountTokenSeconds = 3607;
export const tokenRenewFraction = 0.8;
/** A postStart hook that has not finished after this long fails (upstream waits without bound). */
export const postStartHookTimeoutMs = 120_000;
/** The eviction manager observes the node and evicts at most one pod this often, as upstream's evictionMonitoringPeriod. */
export const evictionMonitoringIntervalMs = 10_000;
/** --eviction-pressure-transition-period's default: a pressure condition stays True this long after its threshold was last met. */
export const evictionPressureTransitionPeriodMs = 300_000;
/** After evicting a pod the manager waits at most this long for its containers to stop, as upstream's podCleanupTimeout. */
export const evictionPodCleanupTimeoutMs = 30_000;
/** Files counted per directory tree when measuring a pod's disk use (writable layer, emptyDir); beyond it the rest is not counted. */
export const diskUsageMaxEntries = 100_000;
/** How long the agent waits at start for its Service informer before running pods (their env needs Services). */
export const serviceSyncTimeoutMs = 30_000;
