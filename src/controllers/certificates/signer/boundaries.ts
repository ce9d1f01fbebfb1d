// How long a signed certificate lives (upstream's signer.duration and authority's boundaries).
import { minimumSigningDurationMs, shortCertificateDurationMs, signingBackdateMs } from '../limits.js';

/** spec.expirationSeconds is honoured when below the configured duration, and raised to 10 minutes. */
export function signingDurationMs(expirationSeconds: number | undefined, configuredMs: number): number {
  if (expirationSeconds === undefined || expirationSeconds === null) return configuredMs;
  const requestedMs = expirationSeconds * 1000;
  if (requestedMs > configuredMs) return configuredMs;
  if (requestedMs < minimumSigningDurationMs) return minimumSigningDurationMs;
  return requestedMs;
}

/**
 * notBefore is backdated 5 minutes for clock skew; a long-lived certificate's lifetime counts from
 * there, a short one's (under 8 h) from now so backdating does not eat it. Never past the CA.
 */
export function certificateBoundaries(now: Date, ttlMs: number, caNotAfter: Date): { notBefore: Date; notAfter: Date } {
  if (now.getTime() > caNotAfter.getTime()) throw new Error(`the signer has expired: NotAfter=${caNotAfter.toISOString()}`);
  const notBefore = new Date(now.getTime() - signingBackdateMs);
  const from = ttlMs < shortCertificateDurationMs ? now.getTime() : notBefore.getTime();
  const notAfter = new Date(Math.min(from + ttlMs, caNotAfter.getTime()));
  return { notBefore, notAfter };
}
