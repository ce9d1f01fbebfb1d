// Every period and bound of the kubelet's serving certificate manager, named (client-go's
// util/certificate values).

/** A CSR not issued within this long is given up and a new one made (certificateWaitTimeout). */
export const certificateWaitTimeoutMs = 15 * 60 * 1000;
/** Rotation happens between 70% and 90% of the certificate's lifetime (jitteryDuration). */
export const rotationStartFraction = 0.7;
export const rotationJitterFraction = 0.2;
/** After a failed request the next one waits this long, doubling up to the cap. */
export const requestRetryInitialMs = 2_000;
export const requestRetryMaxMs = 5 * 60 * 1000;
/** A longest single sleep, so a clock jump (suspend, NTP) is noticed within this long. */
export const rotationCheckMaxMs = 60 * 60 * 1000;
