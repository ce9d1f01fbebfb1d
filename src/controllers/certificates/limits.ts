// Every period and bound of the certificate controllers, named (upstream's values).

/** csrsigning: certificates live --cluster-signing-duration unless spec.expirationSeconds asks for less. */
export const defaultClusterSigningDurationMs = 8760 * 60 * 60 * 1000;
/** A requested duration below this is raised to it (twice the backdate). */
export const minimumSigningDurationMs = 10 * 60 * 1000;
/** Certificates start this long before signing, for clock skew between machines. */
export const signingBackdateMs = 5 * 60 * 1000;
/** Certificates shorter than this are not backdated at the expense of their lifetime. */
export const shortCertificateDurationMs = 8 * 60 * 60 * 1000;

/** csrcleaner: how often all CSRs are checked. */
export const cleanerPollingIntervalMs = 60 * 60 * 1000;
export const approvedExpirationMs = 60 * 60 * 1000;
export const deniedExpirationMs = 60 * 60 * 1000;
export const failedExpirationMs = 60 * 60 * 1000;
export const pendingExpirationMs = 24 * 60 * 60 * 1000;

/** Workers: upstream runs 5 for signing and approving, 1 for cleaning. */
export const signingWorkers = 5;
export const approvingWorkers = 5;
