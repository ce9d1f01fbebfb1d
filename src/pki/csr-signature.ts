// CheckSignature for a PKCS#10 request with node:crypto alone (synchronous, no @peculiar/x509), so
// the API server can refuse a request whose signature does not match its key at create, as
// upstream's CSR validation does.
import { createPublicKey, verify } from 'node:crypto';

interface Tlv {
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  content: Buffer;
}

/** One DER element at `offset`; throws on a truncated or indefinite-length one. */
function readTlv(der: Buffer, offset: number): Tlv & { end: number } {
  if (offset + 2 > der.length) throw new Error('asn1: syntax error: data truncated');
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || offset + 2 + count > der.length) throw new Error('asn1: syntax error: invalid length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > der.length) throw new Error('asn1: syntax error: data truncated');
  return { tag, raw: der.subarray(offset, end), content: der.subarray(offset + header, end), end };
}

function children(element: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = readTlv(element.content, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** DER OBJECT IDENTIFIER content to dotted text. */
function oidText(content: Buffer): string {
  const parts = [Math.floor(content[0]! / 40), content[0]! % 40];
  let value = 0;
  for (const byte of content.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

const signatureAlgorithms: Record<string, { hash: string | null; failure: string }> = {
  '1.2.840.10045.4.3.2': { hash: 'sha256', failure: 'x509: ECDSA verification failure' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', failure: 'x509: ECDSA verification failure' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', failure: 'x509: ECDSA verification failure' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', failure: 'crypto/rsa: verification error' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', failure: 'crypto/rsa: verification error' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', failure: 'crypto/rsa: verification error' },
  '1.3.101.112': { hash: null, failure: 'ed25519: invalid signature' },
};

/**
 * Undefined when the DER request's signature is made by the key it carries; otherwise Go's
 * message. Algorithms Go does not sign with (SHA-1, DSA) are reported as unsupported.
 */
export function certificateRequestSignatureError(der: Buffer): string | undefined {
  let info: Tlv, algorithm: Tlv, signature: Tlv, spki: Tlv;
  try {
    const outer = readTlv(der, 0);
    [info, algorithm, signature] = children(outer) as [Tlv, Tlv, Tlv];
    if (outer.tag !== 0x30 || !info || info.tag !== 0x30 || algorithm?.tag !== 0x30 || signature?.tag !== 0x03) return "asn1: structure error: tags don't match";
    spki = children(info)[2]!;
    if (spki?.tag !== 0x30) return "asn1: structure error: tags don't match";
  } catch (error) {
    return (error as Error).message;
  }
  const oid = children(algorithm)[0];
  const known = oid?.tag === 0x06 ? signatureAlgorithms[oidText(oid.content)] : undefined;
  if (!known) return 'x509: cannot verify signature: algorithm unimplemented';
  try {
    const key = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' });
    // A BIT STRING's first content byte counts unused bits; signatures use whole bytes.
    const ok = verify(known.hash, info.raw, { key, dsaEncoding: 'der' }, signature.content.subarray(1));
    return ok ? undefined : known.failure;
  } catch {
    return known.failure;
  }
}
