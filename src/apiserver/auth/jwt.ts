// Compact JWS (ES256) signing and verification with node:crypto, for service-account tokens.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface JwtSigner {
  keyId: string;
  sign(claims: Record<string, unknown>): string;
  /** The claims of a token this key signed, or undefined for anything else (bad signature, malformed). */
  verify(token: string): Record<string, unknown> | undefined;
}

/** Upstream's key id: the base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
function keyIdOf(publicKey: KeyObject): string {
  return b64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

export function es256Signer(privateKeyPem: string): JwtSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    sign(claims) {
      const header = b64url(JSON.stringify({ alg: 'ES256', kid: keyId }));
      const payload = b64url(JSON.stringify(claims));
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${header}.${payload}.${b64url(signature)}`;
    },
    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const [header, payload, signature] = parts as [string, string, string];
      try {
        const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
        if (head.alg !== 'ES256') return undefined;
        const ok = verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
        if (!ok) return undefined;
        return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
  };
}
