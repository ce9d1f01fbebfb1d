// Who a verified client certificate says the caller is: the API server's x509 authenticator takes
// the subject's CommonName as the user name and every Organization as a group.
import type { PeerCertificate } from 'node:tls';

export interface ClientIdentity {
  user: string;
  groups: string[];
}

/** Node gives one attribute as a string and repeated ones as an array. */
function attributeValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * Reads user and groups from `tlsSocket.getPeerCertificate()`. Returns undefined when there is no
 * certificate or no CommonName (upstream rejects those: a user name is required). Callers must
 * check `socket.authorized` first: this reads names, it does not verify anything.
 */
export function clientIdentity(peer: Partial<PeerCertificate> | null | undefined): ClientIdentity | undefined {
  const subject: unknown = peer?.subject;
  if (typeof subject !== 'object' || subject === null) return undefined;
  const fields = subject as Record<string, unknown>;
  // Go's pkix.Name keeps the last CN when there are several.
  const user = attributeValues(fields.CN).at(-1);
  if (!user) return undefined;
  return { user, groups: attributeValues(fields.O) };
}
