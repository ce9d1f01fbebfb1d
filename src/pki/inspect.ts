// Reading certificates with node:crypto's native X509Certificate: fast to load, enough to decide
// whether files on disk can be reused. Generating certificates (certs.ts) needs @peculiar/x509.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** Splits SAN entries into DNS names and IPs; anything that parses as an IP is an IP. */
export function classifySANs(entries: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (!entry) continue;
    const list = isIP(entry) ? ipAddresses : dnsNames;
    if (!list.includes(entry)) list.push(entry);
  }
  return { dnsNames, ipAddresses };
}

export interface CertificateFacts {
  subjectCommonName: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
}

export function describeCertificate(certPem: string): CertificateFacts {
  const cert = new X509Certificate(certPem);
  const subject = cert.subject.split('\n');
  const cn = subject.find((line) => line.startsWith('CN='))?.slice(3) ?? '';
  const sans = (cert.subjectAltName ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return {
    subjectCommonName: cn,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    dnsNames: sans.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
    ipAddresses: sans.filter((n) => n.startsWith('IP Address:')).map((n) => normaliseIp(n.slice(11))),
  };
}

/** OpenSSL prints IPv6 SANs in full ("0:0:0:0:0:0:0:1"); compare them compressed ("::1"). */
function normaliseIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const groups = ip.split(':').map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
  const text = groups.join(':');
  const runs = [...text.matchAll(/(^|:)0(:0)+(:|$)/g)];
  if (runs.length === 0) return text;
  const longest = runs.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return `${text.slice(0, longest.index)}::${text.slice(longest.index! + longest[0].length)}`.replace(/^:::/, '::').replace(/:::$/, '::');
}

/** True if `certPem` carries a valid signature by the CA certificate. */
export async function isSignedBy(certPem: string, caCertPem: string): Promise<boolean> {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caCertPem).publicKey);
  } catch {
    return false;
  }
}

/** True if the private key PEM is the one matching the certificate's public key. */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
